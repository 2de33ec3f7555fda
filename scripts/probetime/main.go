// Command probetime measures one URL with Pitstop's traced HTTP client (the
// one api.reachability uses) RUNS times in one process and prints the median
// of each phase in milliseconds with microsecond precision, in the order
// curl -w reports them: DNS, connect, TLS, server (first byte), transfer,
// total. scripts/bench.sh sets it beside curl's figures for the same URL.
//
//	go run ./scripts/probetime [-runs 30] [-ca FILE] URL
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"pitstop/internal/probe"
)

func main() {
	runs := flag.Int("runs", 30, "requests to send")
	ca := flag.String("ca", "", "extra CA bundle (ca_file)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: probetime [-runs N] [-ca FILE] URL")
		os.Exit(2)
	}
	c, err := probe.NewClient(probe.Options{CAFile: *ca, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	phases := make([][]time.Duration, 6)
	proto := ""
	for range *runs {
		r, err := c.Do(context.Background(), probe.Request{URL: flag.Arg(0)})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		t := r.Timings
		for i, d := range []time.Duration{t.DNS, t.Connect, t.TLS, t.Server, t.Transfer, t.Total} {
			phases[i] = append(phases[i], d)
		}
		proto = r.Proto
	}
	for _, p := range phases {
		slices.Sort(p)
		fmt.Printf("%.3f ", float64(p[len(p)/2].Microseconds())/1000)
	}
	fmt.Println(proto)
}
