package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// settleTime is how long the file must stay quiet before it is read again, because editors
// and os.WriteFile produce several events per save (truncate, write, rename).
const settleTime = 100 * time.Millisecond

// Watch reloads the settings file at path whenever it changes. A new file that loads and
// validates is passed to onChange; one that does not is passed to onError and otherwise
// ignored, so the running settings stay. Saves that leave the file's bytes unchanged are not
// reported. The directory is watched rather than the file, so that editors that replace the
// file and mounted config maps that swap a symlink are followed. Call stop to end watching.
func Watch(path string, onChange func(*Config), onError func(error)) (stop func() error, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: watch %s: %w", path, err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("config: watch %s: %w", path, err)
	}
	if err := w.Add(filepath.Dir(abs)); err != nil {
		w.Close()
		return nil, fmt.Errorf("config: watch %s: %w", path, err)
	}
	last, _ := os.ReadFile(abs)
	lastReal, _ := filepath.EvalSymlinks(abs)

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		settle := time.NewTimer(time.Hour)
		settle.Stop()
		for {
			select {
			case <-done:
				settle.Stop()
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				real, _ := filepath.EvalSymlinks(abs)
				if filepath.Clean(ev.Name) == abs || real != lastReal {
					lastReal = real
					settle.Reset(settleTime)
				}
			case werr, ok := <-w.Errors:
				if !ok {
					return
				}
				onError(fmt.Errorf("config: watch %s: %w", path, werr))
			case <-settle.C:
				data, rerr := os.ReadFile(abs)
				if rerr != nil {
					// The file is briefly absent while some editors replace it; the
					// event that puts it back triggers another read.
					if !os.IsNotExist(rerr) {
						onError(fmt.Errorf("config: %w", rerr))
					}
					continue
				}
				if bytes.Equal(data, last) {
					continue
				}
				last = data
				c, perr := Parse(path, data)
				if perr != nil {
					onError(perr)
					continue
				}
				onChange(c)
			}
		}
	}()

	var once sync.Once
	stop = func() error {
		var cerr error
		once.Do(func() {
			close(done)
			cerr = w.Close()
			wg.Wait()
		})
		return cerr
	}
	return stop, nil
}
