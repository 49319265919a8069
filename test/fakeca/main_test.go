package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-log", "-fault", "throttle", "-fault-times", "1"}, outW, &stderr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("read the listening line: %v", err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "fakeca listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q", line)
	}
	go io.Copy(io.Discard, outR)
	resp, err := http.Post(url+"/v1/authorization-token?domain=demo", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("unsigned call: %d, want 403", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d, want 0", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop when its context ended")
	}
	if !strings.Contains(stderr.String(), "POST /v1/authorization-token?domain=demo op=GetAuthorizationToken status=403") {
		t.Errorf("stderr lacks the request log:\n%s", stderr.String())
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"-fault", "explode"}, 2},
		{[]string{"-secret", "novalue"}, 2},
		{[]string{"extra"}, 2},
		{[]string{"-addr", "256.0.0.1:1"}, 1},
		{[]string{"-h"}, 0},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if got := run(context.Background(), tt.args, &stdout, &stderr); got != tt.want || stdout.Len() != 0 {
			t.Errorf("run(%q) = %d, stdout %q; want %d and no output", tt.args, got, stdout.String(), tt.want)
		}
	}
}
