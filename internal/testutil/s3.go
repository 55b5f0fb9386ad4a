package testutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Server is a real S3-compatible server (SeaweedFS) on loopback, started
// once per test binary by S3 and stopped by StopS3 (call it from TestMain).
type S3Server struct {
	Endpoint  string // host:port of the S3 API
	AccessKey string
	SecretKey string
	client    *minio.Client
	cmd       *exec.Cmd
	dir       string
	done      chan struct{}
}

var (
	s3Once    sync.Once
	s3Shared  *S3Server
	s3Err     error
	s3Skip    string
	s3StartMu sync.Mutex
)

// S3 returns the shared S3 server, starting it on first use. The binary comes
// from ZL_TEST_WEED or scripts/s3-server.sh (built once and cached outside the
// repository); the test is skipped only when no Go toolchain can build it.
func S3(t testing.TB) *S3Server {
	t.Helper()
	s3Once.Do(func() { s3Shared, s3Skip, s3Err = startS3() })
	if s3Skip != "" {
		t.Skip(s3Skip)
	}
	if s3Err != nil {
		t.Fatalf("s3 server: %v", s3Err)
	}
	return s3Shared
}

// StopS3 stops the shared S3 server if one was started (TestMain calls it
// after the tests) and removes its data.
func StopS3() {
	s3StartMu.Lock()
	defer s3StartMu.Unlock()
	if s := s3Shared; s != nil && s.cmd != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		os.RemoveAll(s.dir)
		s3Shared = nil
	}
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// weedBinary finds or builds SeaweedFS; skip is set when it cannot be built here.
func weedBinary() (bin, skip string, err error) {
	if v := os.Getenv("ZL_TEST_WEED"); v != "" {
		return v, "", nil
	}
	if _, err := exec.LookPath("go"); err != nil {
		return "", "S3 tests skipped: no Go toolchain to build SeaweedFS with (or set ZL_TEST_WEED to a weed binary)", nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", "", err
	}
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "s3-server.sh"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			return "", "S3 tests skipped: scripts/s3-server.sh cannot build SeaweedFS here", nil
		}
		return "", "", fmt.Errorf("scripts/s3-server.sh: %w", err)
	}
	return strings.TrimSpace(string(out)), "", nil
}

// freePort finds a loopback port p such that p+10000 is free too (SeaweedFS
// puts each service's gRPC port there).
func freePort() (int, error) {
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p+10000 > 65535 {
			continue
		}
		if l2, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+10000)); err == nil {
			l2.Close()
			return p, nil
		}
	}
	return 0, errors.New("no free port pair")
}

func startS3() (*S3Server, string, error) {
	s3StartMu.Lock()
	defer s3StartMu.Unlock()
	bin, skip, err := weedBinary()
	if skip != "" || err != nil {
		return nil, skip, err
	}
	dir, err := os.MkdirTemp("", "zhilian-s3-")
	if err != nil {
		return nil, "", err
	}
	s := &S3Server{AccessKey: "zltest" + randHex(4), SecretKey: randHex(16), dir: dir, done: make(chan struct{})}
	conf := fmt.Sprintf(`{"identities":[{"name":"zhilian","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","List","Tagging","Write"]}]}`,
		s.AccessKey, s.SecretKey)
	if err := os.WriteFile(filepath.Join(dir, "s3.json"), []byte(conf), 0o600); err != nil {
		return nil, "", err
	}
	ports := make([]int, 4)
	for i := range ports {
		if ports[i], err = freePort(); err != nil {
			return nil, "", err
		}
	}
	s.Endpoint = fmt.Sprintf("127.0.0.1:%d", ports[3])
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		return nil, "", err
	}
	logf, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		return nil, "", err
	}
	s.cmd = exec.Command(bin, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-dir="+data,
		fmt.Sprintf("-master.port=%d", ports[0]), fmt.Sprintf("-volume.port=%d", ports[1]),
		fmt.Sprintf("-filer.port=%d", ports[2]), "-s3", fmt.Sprintf("-s3.port=%d", ports[3]),
		"-s3.config="+filepath.Join(dir, "s3.json"), "-s3.port.iceberg=0", "-s3.port.lance=0",
		"-master.volumeSizeLimitMB=64", "-volume.max=16")
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	// Dies with the test binary even if TestMain never gets to StopS3.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	runtime.LockOSThread() // Pdeathsig follows the starting thread: keep it alive in the pool
	err = s.cmd.Start()
	runtime.UnlockOSThread()
	if err != nil {
		logf.Close()
		return nil, "", fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { _ = s.cmd.Wait(); logf.Close(); close(s.done) }()
	s3Shared = s
	if s.client, err = minio.New(s.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), BucketLookup: minio.BucketLookupPath}); err != nil {
		return nil, "", err
	}
	if err := s.waitReady(90 * time.Second); err != nil {
		tail, _ := os.ReadFile(filepath.Join(dir, "weed.log"))
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return nil, "", fmt.Errorf("%w\n%s", err, tail)
	}
	return s, "", nil
}

// waitReady retries a bucket creation and a write until the server takes them
// (the first write after start waits for leader election and volume growth).
func (s *S3Server) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var last error
	for ctx.Err() == nil {
		select {
		case <-s.done:
			return errors.New("weed exited during start-up")
		default:
		}
		last = s.client.MakeBucket(ctx, "zlready", minio.MakeBucketOptions{})
		if last == nil || minio.ToErrorResponse(last).Code == "BucketAlreadyOwnedByYou" {
			_, last = s.client.PutObject(ctx, "zlready", "probe", strings.NewReader("ok"), 2, minio.PutObjectOptions{})
			if last == nil {
				return nil
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	return fmt.Errorf("s3 server not ready after %s: %v", limit, last)
}

// Bucket creates an empty bucket for the test (emptied and removed at
// cleanup) and returns its ZL_BLOB_URL.
func (s *S3Server) Bucket(t testing.TB) string {
	t.Helper()
	name := strings.ToLower(strings.Trim(strings.ReplaceAll(Prefix(), "_", "-"), "-")) + "-" + randHex(6)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.client.MakeBucket(ctx, name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for o := range s.client.ListObjects(ctx, name, minio.ListObjectsOptions{Recursive: true}) {
			if o.Err == nil {
				_ = s.client.RemoveObject(ctx, name, o.Key, minio.RemoveObjectOptions{})
			}
		}
		_ = s.client.RemoveBucket(ctx, name)
	})
	return "s3://" + name + "?" + url.Values{"endpoint": {"http://" + s.Endpoint}, "lookup": {"path"}, "region": {"us-east-1"}}.Encode()
}

// Count returns how many objects the bucket of a ZL_BLOB_URL holds.
func (s *S3Server) Count(t testing.TB, blobURL string) int {
	t.Helper()
	u, err := url.Parse(blobURL)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for o := range s.client.ListObjects(context.Background(), u.Host, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		n++
	}
	return n
}

// UseS3 points a test server's uploads at a fresh bucket of the shared S3 server.
func UseS3(t testing.TB) func(*Setup) {
	s := S3(t)
	blobURL := s.Bucket(t)
	return func(su *Setup) {
		su.Config.BlobURL, su.Config.S3AccessKey, su.Config.S3SecretKey = blobURL, s.AccessKey, s.SecretKey
	}
}
