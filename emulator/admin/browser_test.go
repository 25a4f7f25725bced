package admin_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/magekit/magekit/integrationtest"
)

// screenshots, when set, is the directory the browser tests write their
// screenshots to (the README's are made with
// go test ./emulator/admin -run TestBrowser -screenshots ../../docs/admin).
var screenshots = flag.String("screenshots", "", "directory to write the Admin screenshots to")

// browser is the one Chromium of this test binary, started by the first
// test that needs it and shared by all: each test gets its own browser
// context (cookies, storage) in it.
var browser struct {
	once    sync.Once
	ctx     context.Context
	cancel  func()
	dataDir string
	err     error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dataDir != "" {
		os.RemoveAll(browser.dataDir)
	}
	if thirdPartyBin.path != "" {
		os.RemoveAll(filepath.Dir(thirdPartyBin.path))
	}
	os.Exit(code)
}

// chromiumPath finds Debian's chromium (or Chrome) on this machine.
func chromiumPath() (string, error) {
	if p := os.Getenv("MAGEKIT_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium on this machine (apt-get install chromium)")
}

func startBrowser() {
	path, err := chromiumPath()
	if err != nil {
		browser.err = err
		return
	}
	if browser.dataDir, err = os.MkdirTemp("", "magekit-chromium-"); err != nil {
		browser.err = err
		return
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(browser.dataDir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 860),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	if err := chromedp.Run(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		browser.err = fmt.Errorf("starting %s: %w", path, err)
		return
	}
	browser.ctx = ctx
	browser.cancel = func() { cancelCtx(); cancelAlloc() }
}

// newTab returns a tab in a fresh browser context of the shared browser,
// closed when the test ends. Without Chromium the test is skipped, or
// fails under CI=true.
func newTab(t *testing.T) context.Context {
	t.Helper()
	browser.once.Do(startBrowser)
	if browser.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests need Chromium under CI=true: %v", browser.err)
		}
		t.Skipf("skipping the browser test: %v", browser.err)
	}
	// A browser context of its own (cookies, storage) and a window in it:
	// chromedp's WithNewBrowserContext opens no window, which this
	// Chromium refuses ("no browser is open").
	c := chromedp.FromContext(browser.ctx)
	exec := cdp.WithExecutor(browser.ctx, c.Browser)
	bctx, err := target.CreateBrowserContext().WithDisposeOnDetach(true).Do(exec)
	if err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	tid, err := target.CreateTarget("about:blank").WithBrowserContextID(bctx).WithNewWindow(true).Do(exec)
	if err != nil {
		t.Fatalf("new tab: %v", err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithTargetID(tid))
	t.Cleanup(func() {
		cancel()
		_ = target.DisposeBrowserContext(bctx).Do(exec)
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("new tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// run runs browser actions one by one and fails the test on error. An
// action that failed to find its node because chromedp's copy of the DOM
// was still the previous page's (the query fails before any input is
// sent) is tried again.
func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	for _, a := range actions {
		var err error
		for attempt := 0; attempt < 5; attempt++ {
			if err = chromedp.Run(ctx, a); err == nil || !staleNode(err) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
}

// staleNode reports whether err is CDP's answer for a node of a document
// that has been replaced.
func staleNode(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "No node with given id found") || strings.Contains(msg, "Could not find node with given id") ||
		strings.Contains(msg, "Cannot find context with specified id")
}

// waitJS polls the JavaScript expression cond until it is true: across
// page loads, which make single evaluations fail.
func waitJS(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		err := chromedp.Run(ctx, chromedp.Evaluate(`(function(){try{return !!(`+cond+`)}catch(e){return false}})()`, &ok))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var url, body string
			_ = chromedp.Run(ctx, chromedp.Location(&url), chromedp.Evaluate(`document.body ? document.body.innerText.slice(0, 2000) : ""`, &body))
			t.Fatalf("waiting for %s: not true after 20s (err %v) at %s:\n%s", what, err, url, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// markPage marks the current document, so that waitLoad can tell when the
// next one has loaded.
func markPage(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate(`window.__magekitOld = true`, nil))
}

// waitLoad waits for a document loaded after markPage.
func waitLoad(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, "the next page", `!window.__magekitOld && document.readyState === "complete"`)
}

// clickAndLoad clicks sel and waits for the page it leads to.
func clickAndLoad(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	markPage(t, ctx)
	run(t, ctx, chromedp.Click(sel, chromedp.ByQuery))
	waitLoad(t, ctx)
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == '<' || r == '>':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// waitMessage waits for the page's message of type typ holding text.
func waitMessage(t *testing.T, ctx context.Context, typ, text string) {
	t.Helper()
	waitJS(t, ctx, typ+" message "+jsString(text),
		`Array.from(document.querySelectorAll("#messages .message-`+typ+`")).some(function(m){return m.textContent.indexOf(`+jsString(text)+`)>=0})`)
}

// signIn opens the Admin and signs in as the emulator's admin, ending on
// the integrations grid.
func signIn(t *testing.T, ctx context.Context, srv *integrationtest.Server) {
	t.Helper()
	run(t, ctx,
		chromedp.Navigate(srv.BaseURL+"admin/"),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", "admin", chromedp.ByQuery),
		chromedp.SendKeys("#login", "magento123", chromedp.ByQuery),
		chromedp.Click(".action-login", chromedp.ByQuery),
	)
	waitJS(t, ctx, "the integrations grid", `document.querySelector("#integrationGrid")`)
}

// gridURL is the grid's address.
func gridURL(srv *integrationtest.Server) string { return srv.BaseURL + "admin/admin/integration/" }

// shot takes a screenshot of the page: written to -screenshots when set,
// otherwise only checked to be a PNG.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	run(t, ctx, chromedp.Evaluate(`window.scrollTo(0, 0)`, nil), chromedp.Sleep(400*time.Millisecond), chromedp.CaptureScreenshot(&png))
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot %s is not a PNG", name)
	}
	if *screenshots != "" {
		if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// thirdParty is a running examples/thirdparty program.
type thirdParty struct {
	URL string // http://127.0.0.1:PORT/
	mu  sync.Mutex
	out bytes.Buffer
}

// Output returns what the program printed so far.
func (p *thirdParty) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

var thirdPartyBin struct {
	once sync.Once
	path string
	err  error
}

// startThirdParty builds (once per test binary) and runs examples/thirdparty
// on a free loopback port, serving until the test ends.
func startThirdParty(t *testing.T) *thirdParty {
	t.Helper()
	thirdPartyBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "magekit-thirdparty-")
		if err != nil {
			thirdPartyBin.err = err
			return
		}
		thirdPartyBin.path = filepath.Join(dir, "thirdparty")
		out, err := exec.Command("go", "build", "-o", thirdPartyBin.path, "github.com/magekit/magekit/examples/thirdparty").CombinedOutput()
		if err != nil {
			thirdPartyBin.err = fmt.Errorf("go build examples/thirdparty: %v\n%s", err, out)
		}
	})
	if thirdPartyBin.err != nil {
		t.Fatal(thirdPartyBin.err)
	}
	cmd := exec.Command(thirdPartyBin.path, "-listen", "127.0.0.1:0", "-keep-serving", "-wait", "1m")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &thirdParty{}
	cmd.Stderr = &lockedWriter{p}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.out.WriteString(line + "\n")
			p.mu.Unlock()
			select {
			case first <- line:
			default:
			}
		}
	}()
	select {
	case line := <-first:
		m := regexp.MustCompile(`endpoint listening on (http://\S+/)`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("thirdparty printed %q", line)
		}
		p.URL = m[1]
	case <-time.After(20 * time.Second):
		t.Fatal("thirdparty did not start")
	}
	return p
}

type lockedWriter struct{ p *thirdParty }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.out.Write(b)
}

var _ io.Writer = (*lockedWriter)(nil)
