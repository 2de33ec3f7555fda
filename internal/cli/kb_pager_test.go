package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLongArticlesGoThroughThePager(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the fake pager is a shell script")
	}
	dir := t.TempDir()
	got := filepath.Join(dir, "paged")
	script := filepath.Join(dir, "pager")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\ncat > '"+got+"'\n"), 0o700))
	long := strings.Repeat("a line of the article\n", 40)
	var out bytes.Buffer

	require.True(t, page(long, 24, script, &out, &out), "taller than the terminal: paged")
	data, err := os.ReadFile(got)
	require.NoError(t, err)
	require.Equal(t, long, string(data))
	require.Empty(t, out.String())

	require.False(t, page("short\n", 24, script, &out, &out), "fits: printed")
	require.False(t, page(long, 0, script, &out, &out), "not a terminal: printed")
	require.False(t, page(long, 24, "cat", &out, &out), "PAGER=cat turns paging off")
	require.False(t, page(long, 24, filepath.Join(dir, "missing"), &out, &out), "no pager: printed")
}
