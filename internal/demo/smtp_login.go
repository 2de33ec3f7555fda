package demo

import (
	"github.com/emersion/go-sasl"
)

// loginServer is the server side of the LOGIN mechanism
// (draft-murchison-sasl-login), which go-sasl does not provide. It accepts
// the user name as an initial response or after a "Username:" challenge.
type loginServer struct {
	authenticate func(username, password string) error
	username     string
	state        int // 0 want username, 1 want password, 2 done
}

// newLoginServer returns a LOGIN sasl.Server that calls authenticate once it
// has both the user name and the password.
func newLoginServer(authenticate func(username, password string) error) sasl.Server {
	return &loginServer{authenticate: authenticate}
}

// Next implements sasl.Server.
func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch l.state {
	case 0:
		if response == nil {
			return []byte("Username:"), false, nil
		}
		l.username = string(response)
		l.state = 1
		return []byte("Password:"), false, nil
	case 1:
		if response == nil {
			return []byte("Password:"), false, nil
		}
		l.state = 2
		return nil, true, l.authenticate(l.username, string(response))
	default:
		return nil, true, sasl.ErrUnexpectedClientResponse
	}
}
