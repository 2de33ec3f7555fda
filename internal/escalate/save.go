package escalate

import "pitstop/internal/safefile"

// WriteFile writes data to path atomically with mode 0600 (see
// safefile.WriteAtomic): never through a link, never over a device.
func WriteFile(path string, data []byte) error {
	return safefile.WriteAtomic(path, "", data, 0o600)
}
