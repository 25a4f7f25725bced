// Command emulator is a Magento 2.4.7 store for connector test harnesses
// in any language: Magento's REST routes and OAuth 1.0a handshake, plus
// control routes to create and activate integrations, set fixtures and
// config, read the request journal and reset.
//
//	go run ./examples/emulator [flags]
//
// The first line on standard output is "listening on <base URL>".
// SIGINT and SIGTERM stop it cleanly: requests in flight are answered,
// the store is closed, and it exits 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/magekit/magekit/emulator/journal"

	"github.com/magekit/magekit"
	"github.com/magekit/magekit/emulator"
	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth/signature"
	"github.com/magekit/magekit/store/sqlstore"
	"github.com/magekit/magekit/twofactor"
	"github.com/magekit/magekit/webapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

// Default server timeouts, as a real server sets them: a client that
// sends nothing, trickles its request or idles on a keep-alive connection
// cannot hold a connection for ever.
const (
	defaultReadTimeout     = 30 * time.Second // the whole request, body included
	defaultWriteTimeout    = 90 * time.Second // a fixture may delay a minute
	defaultIdleTimeout     = 60 * time.Second // a keep-alive connection between requests
	defaultShutdownTimeout = 10 * time.Second // requests in flight after a signal
	maxHeaderTimeout       = 10 * time.Second // the request line and headers
	maxHeaderBytes         = 64 << 10         // the request line and headers
)

// run is the emulator: it parses args, listens, prints "listening on
// <base URL>" as the first line of stdout, and serves until ctx is done;
// then it drains requests in flight, closes the store and returns nil.
// Logs go to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	switch {
	case o.version:
		_, err := fmt.Fprintln(stdout, "magekit emulator", magekit.Version)
		return err
	case o.healthCheck != "":
		return probe(ctx, o.healthCheck)
	}
	logger := slog.New(o.logHandler(stderr))
	for _, d := range [...]struct{ flag, dir string }{{"-config", o.configDir}, {"-fixtures", o.fixturesDir}} {
		if err := checkDir(d.dir); err != nil {
			return fmt.Errorf("%s: %w", d.flag, err)
		}
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close() // Serve closes it too; this covers the early returns
	base := o.baseURL
	if base == "" {
		base = defaultBaseURL(ln.Addr())
	}

	st, closeStore, err := openStore(ctx, o.store)
	if err != nil {
		return err
	}
	defer closeStore()

	var seed emulator.Seed
	if o.seedFile != "" {
		data, err := readSeed(o.seedFile)
		if err != nil {
			return fmt.Errorf("-seed %s: %w", o.seedFile, err)
		}
		if seed, err = emulator.ParseSeed(data); err != nil {
			return fmt.Errorf("-seed %s: %w", o.seedFile, err)
		}
	}
	var ext *emulator.Extensions
	if o.webapiDir != "" {
		if err := checkDir(o.webapiDir); err != nil {
			return fmt.Errorf("-webapi: %w", err)
		}
		if ext, err = emulator.LoadExtensions(os.DirFS(o.webapiDir)); err != nil {
			return fmt.Errorf("-webapi %s: %w", o.webapiDir, err)
		}
	}
	cfg := emulator.Config{
		Extensions:      ext,
		BaseURL:         base,
		Store:           st,
		AdminUser:       o.adminUser,
		AdminPassword:   o.adminPassword,
		RequirePassword: o.requirePassword,
		Profile:         o.profile,
		JWTSecret:       o.jwtSecret,
		StoreCodes:      o.storeCodes,
		TwoFactor:       o.twoFactor,
		// The admin's Google secret: MAGEKIT_ADMIN_TFA_SECRET.
		AdminGoogleSecret: o.adminTFASecret,
		Logger:            logger,

		NoSignatureDiagnosis: !o.diagnose,
		NoJournalBodies:      !o.journalBodies,
		JournalSize:          o.journalSize,
		JournalBytes:         o.journalBytes,
		Unmatched:            o.unmatched,
		FreeConfig:           o.freeConfig,
	}
	seed.Configure(&cfg)
	emu, err := emulator.New(ctx, cfg)
	if err != nil {
		return err
	}
	base = emu.BaseURL() // with its final "/"
	var notes []string
	if o.configDir != "" {
		res, err := emu.Service().ProvisionDir(ctx, os.DirFS(o.configDir))
		if err != nil {
			return fmt.Errorf("-config %s: %w", o.configDir, err)
		}
		notes = append(notes, "provisioned from "+o.configDir+":", res.String())
		if n := res.Notice(); n != "" {
			notes = append(notes, n)
		}
	}
	if o.fixturesDir != "" {
		n, err := emu.LoadFixtures(os.DirFS(o.fixturesDir))
		if err != nil {
			return fmt.Errorf("-fixtures %s: %w", o.fixturesDir, err)
		}
		notes = append(notes, fmt.Sprintf("loaded %d fixtures from %s", n, o.fixturesDir))
	}

	if o.seedFile != "" {
		if err := emu.ApplySeed(ctx, seed); err != nil {
			return fmt.Errorf("-seed %s: %w", o.seedFile, err)
		}
		notes = append(notes, fmt.Sprintf("seeded %d integrations, %d config values and %d fixtures from %s",
			len(seed.Integrations), len(seed.Config), len(seed.Fixtures), o.seedFile))
	}

	srv := &http.Server{
		Handler:           emu,
		ReadHeaderTimeout: min(maxHeaderTimeout, o.readTimeout),
		ReadTimeout:       o.readTimeout,
		WriteTimeout:      o.writeTimeout,
		IdleTimeout:       o.idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// One write: the first line and the start-up notes after it.
	fmt.Fprint(stdout, "listening on "+base+"\n"+strings.Join(append(notes, ""), "\n"))
	logger.Info("emulator started", "addr", ln.Addr().String(), "base_url", base, "store", storeKind(o.store), "profile", o.profile.String())

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("emulator stopping: draining requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Warn("emulator: requests still in flight after the shutdown timeout were cut", "err", err)
		_ = srv.Close()
	}
	<-served // http.ErrServerClosed
	if err := closeStore(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	logger.Info("emulator stopped")
	return nil
}

// options are the parsed flags.
type options struct {
	addr, baseURL, store                                    string
	adminUser, adminPassword                                string
	requirePassword                                         bool
	diagnose                                                bool   // the signature doctor: a diagnosis in the journal
	journalBodies                                           bool   // request headers and bodies in the journal
	journalSize, journalBytes                               int    // the journal's bounds: entries, bytes
	unmatched                                               string // emulator.UnmatchedNote or UnmatchedError
	seedFile                                                string // -seed FILE
	webapiDir                                               string // -webapi DIR
	readTimeout, writeTimeout, idleTimeout, shutdownTimeout time.Duration
	freeConfig                                              bool // accept config paths the emulator does not read
	profile                                                 signature.Profile
	storeCodes                                              []string
	twoFactor                                               bool
	configDir, fixturesDir                                  string
	logLevel                                                slog.Level
	logJSON                                                 bool
	// version prints the version and exits; healthCheck, a URL, probes a
	// running emulator instead of starting one (exit 0 on a 200).
	version     bool
	healthCheck string
	// jwtSecret signs admin and customer tokens: MAGEKIT_JWT_SECRET, an
	// environment variable rather than a flag so that it stays out of the
	// process list. Empty means a random secret per process.
	jwtSecret string
	// adminTFASecret is the admin's Google Authenticator secret with
	// -two-factor: MAGEKIT_ADMIN_TFA_SECRET, for the same reason.
	adminTFASecret string
}

// envAdminTFASecret names the environment variable of the admin user's
// Google Authenticator secret (Base32) under -two-factor.
const envAdminTFASecret = "MAGEKIT_ADMIN_TFA_SECRET"

// envJWTSecret names the environment variable of the token secret that
// several emulators sharing one database set alike, so that a token one
// issues is accepted by the others.
const envJWTSecret = "MAGEKIT_JWT_SECRET"

// usageError is a flag error: the process exits 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// parseFlags reads the emulator's flags (README.md, "Flags").
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var (
		o                            options
		profile, logLevel, logFormat string
		storeCodes                   string
	)
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on; port 0 picks a free port")
	fs.StringVar(&o.baseURL, "base-url", "", "store base URL announced as store_base_url and in the first line (default http://<addr>/ with the port bound)")
	fs.StringVar(&o.store, "store", "memory", "where integrations are kept: memory, sqlite:PATH or mysql:DSN")
	fs.StringVar(&o.adminUser, "admin-user", emulator.DefaultAdminUser, "admin user name")
	fs.StringVar(&o.adminPassword, "admin-password", emulator.DefaultAdminPassword, "admin password")
	fs.BoolVar(&o.requirePassword, "require-password", false, "require current_password when control routes create or change integrations")
	fs.StringVar(&profile, "profile", "2.4.7", "signature profile: 2.4.7, 2.4.3 or rfc5849")
	fs.StringVar(&storeCodes, "store-codes", webapi.DefaultStoreCode, "comma-separated codes of the store views that /rest/<code>/V1/... serves (\"all\" always works); any other code answers 400 as in Magento")
	fs.BoolVar(&o.twoFactor, "two-factor", false, "enable Magento_TwoFactorAuth with Google Authenticator forced, as on a stock 2.4.7 store: admin tokens come from /V1/tfa/provider/google/authenticate")
	fs.StringVar(&o.unmatched, "unmatched", emulator.UnmatchedNote, "what an authorised call no fixture answers gets: note (200 with a note) or error (404 \"no fixture matches\"; the choice for CI)")
	fs.DurationVar(&o.readTimeout, "read-timeout", defaultReadTimeout, "longest time to read one request, body included (the headers get at most 10s)")
	fs.DurationVar(&o.writeTimeout, "write-timeout", defaultWriteTimeout, "longest time to answer one request")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", defaultIdleTimeout, "how long a keep-alive connection may idle between requests")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", defaultShutdownTimeout, "how long requests in flight may finish after SIGINT or SIGTERM")
	fs.StringVar(&o.webapiDir, "webapi", "", "directory of Magento modules whose */etc/webapi.xml routes and */etc/acl.xml resources are served beside the core ones")
	fs.StringVar(&o.seedFile, "seed", "", "JSON seed file: integrations (Active with fixed credentials, or Inactive), config and fixtures created at start, and the store codes, two-factor and unmatched modes")
	fs.BoolVar(&o.freeConfig, "free-config", false, "let PUT /rest/V1/emulator/config set paths the emulator does not read (refused by default, as likely typos)")
	fs.BoolVar(&o.journalBodies, "journal-bodies", true, "keep each request's headers and body (secrets redacted, bodies cut at 16 KiB) in the journal (-journal-bodies=false: off)")
	fs.IntVar(&o.journalSize, "journal-size", journal.DefaultSize, "how many requests the journal keeps, the most recent")
	fs.IntVar(&o.journalBytes, "journal-bytes", journal.DefaultBytes, "how many bytes the journal's entries may hold together; past it the oldest go")
	fs.BoolVar(&o.diagnose, "diagnose", true, "on a signature failure, name in the journal the signing rule the client broke (-diagnose=false: off)")
	fs.StringVar(&o.configDir, "config", "", "directory of integration XML (integration.xml, config.xml+api.xml) to provision at start")
	fs.StringVar(&o.fixturesDir, "fixtures", "", "directory of *.json fixture files to load at start")
	fs.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&logFormat, "log-format", "text", "log format on stderr: text or json")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.StringVar(&o.healthCheck, "health-check", "", "GET this URL and exit 0 if it answers 200, 1 otherwise, instead of serving (a container's HEALTHCHECK)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: emulator [flags]\n\nA Magento 2.4.7 Web API emulator. The first line on stdout is \"listening on <base URL>\".\n"+
			"Environment: %s, the secret that signs admin and customer tokens (set it alike on emulators sharing a database);\n"+
			"%s, the admin user's Google Authenticator secret (Base32) with -two-factor.\n\nFlags:\n", envJWTSecret, envAdminTFASecret)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return options{}, err
		}
		return options{}, usageError{err}
	}
	o.jwtSecret = os.Getenv(envJWTSecret)
	if o.jwtSecret != "" && len(strings.TrimSpace(o.jwtSecret)) < webapi.MinJWTSecret {
		return options{}, usageError{fmt.Errorf("%s has %d bytes besides white space; give at least %d (e.g. openssl rand -hex 32), or unset it for a random one", envJWTSecret, len(strings.TrimSpace(o.jwtSecret)), webapi.MinJWTSecret)}
	}
	o.adminTFASecret = os.Getenv(envAdminTFASecret)
	if fs.NArg() > 0 {
		return options{}, usageError{fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	var err error
	if o.profile, err = signature.ParseProfile(profile); err != nil {
		return options{}, usageError{fmt.Errorf("-profile: %w", err)}
	}
	if err := o.logLevel.UnmarshalText([]byte(logLevel)); err != nil {
		return options{}, usageError{fmt.Errorf("-log-level %q: want debug, info, warn or error", logLevel)}
	}
	switch logFormat {
	case "text":
	case "json":
		o.logJSON = true
	default:
		return options{}, usageError{fmt.Errorf("-log-format %q: want text or json", logFormat)}
	}
	if o.adminUser == "" || o.adminPassword == "" {
		return options{}, usageError{errors.New("-admin-user and -admin-password must not be empty")}
	}
	for code := range strings.SplitSeq(storeCodes, ",") {
		code = strings.TrimSpace(code)
		if err := webapi.ValidStoreCode(code); err != nil {
			return options{}, usageError{fmt.Errorf("-store-codes: %w", err)}
		}
		o.storeCodes = append(o.storeCodes, code)
	}
	if o.adminTFASecret != "" {
		if !o.twoFactor {
			return options{}, usageError{fmt.Errorf("%s is set but -two-factor is off", envAdminTFASecret)}
		}
		if _, err := twofactor.DecodeSecret(o.adminTFASecret); err != nil {
			return options{}, usageError{fmt.Errorf("%s: %w", envAdminTFASecret, err)}
		}
	}
	if o.baseURL != "" && !strings.HasPrefix(o.baseURL, "http://") && !strings.HasPrefix(o.baseURL, "https://") {
		return options{}, usageError{fmt.Errorf("-base-url %q: want an http:// or https:// URL", o.baseURL)}
	}
	for _, d := range [...]struct {
		flag string
		v    time.Duration
	}{{"-read-timeout", o.readTimeout}, {"-write-timeout", o.writeTimeout}, {"-idle-timeout", o.idleTimeout}, {"-shutdown-timeout", o.shutdownTimeout}} {
		if d.v <= 0 {
			return options{}, usageError{fmt.Errorf("%s %v: want a positive duration", d.flag, d.v)}
		}
	}
	if o.journalSize <= 0 || o.journalBytes <= 0 {
		return options{}, usageError{fmt.Errorf("-journal-size %d, -journal-bytes %d: want positive numbers", o.journalSize, o.journalBytes)}
	}
	if o.unmatched != emulator.UnmatchedNote && o.unmatched != emulator.UnmatchedError {
		return options{}, usageError{fmt.Errorf("-unmatched %q: want note or error", o.unmatched)}
	}
	if _, _, ok := strings.Cut(o.store, ":"); !ok && o.store != "memory" {
		return options{}, usageError{fmt.Errorf("-store %q: want memory, sqlite:PATH or mysql:DSN", o.store)}
	}
	return o, nil
}

func (o options) logHandler(w io.Writer) slog.Handler {
	ho := &slog.HandlerOptions{Level: o.logLevel}
	if o.logJSON {
		return slog.NewJSONHandler(w, ho)
	}
	return slog.NewTextHandler(w, ho)
}

// defaultBaseURL is http://<bound address>/; an unspecified host (all
// interfaces) is announced as 127.0.0.1, which a URL can reach.
func defaultBaseURL(addr net.Addr) string {
	host, port := "127.0.0.1", ""
	if a, ok := addr.(*net.TCPAddr); ok {
		port = strconv.Itoa(a.Port)
		if !a.IP.IsUnspecified() && a.IP != nil {
			host = a.IP.String()
		}
	} else if _, p, err := net.SplitHostPort(addr.String()); err == nil {
		port = p
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// openStore opens the -store backend and returns it with its closer,
// which may be called more than once. "memory" gives a nil store: the
// Emulator then makes a new memstore.
func openStore(ctx context.Context, dsn string) (integration.Store, func() error, error) {
	if dsn == "memory" {
		return nil, func() error { return nil }, nil
	}
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("-store: %w", err)
	}
	var closed bool
	return st, func() error {
		if closed {
			return nil
		}
		closed = true
		return st.Close()
	}, nil
}

// checkDir reports an error unless dir is empty or an existing directory.
func checkDir(dir string) error {
	if dir == "" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// storeKind names the backend of a -store value for logs, without the DSN
// (which may hold a password).
func storeKind(dsn string) string {
	kind, _, _ := strings.Cut(dsn, ":")
	return kind
}

// readSeed reads a seed file, refusing one larger than emulator.MaxSeedFile.
func readSeed(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, emulator.MaxSeedFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > emulator.MaxSeedFile {
		return nil, fmt.Errorf("larger than %d bytes", emulator.MaxSeedFile)
	}
	return data, nil
}
