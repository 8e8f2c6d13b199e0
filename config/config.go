// Package config reads what the bot's subcommands are told: a flag set
// per subcommand, then the environment, validated, with every error
// naming the flag or variable at fault.
package config

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/runforautism/rfabot/bot/web"
	"github.com/runforautism/rfabot/formats/export"
	"github.com/runforautism/rfabot/locales"
)

// Config is the settings of one run of a subcommand.
type Config struct {
	// Command is the subcommand: chat, serve, whatsapp-pair, export,
	// backup, import-results, check or restore.
	Command string
	// Operands are the arguments after the flags (the FILE of
	// import-results, check and restore).
	Operands []string

	EventPath string // --event, EVENT_CONFIG
	DataDir   string // --data, DATA_DIR
	User      string // chat: --user
	HTTPAddr  string // --http, HTTP_ADDR
	// PublicURL is --public-url or PUBLIC_URL; without either, the URL of
	// HTTPAddr on this machine.
	PublicURL string
	Phone     string // whatsapp-pair: --phone
	Out       string // export: directory; backup: file
	// Format and Lang are export's --format and --lang: the files'
	// format and the language of an XLSX file's headers.
	Format export.Format
	Lang   string
	// Apply, SkipBad and AcceptFlagged are import-results' --apply,
	// --skip-bad and --accept-flagged; Map its --map, as written.
	Apply, SkipBad, AcceptFlagged bool
	Map                           string

	// Admins are the organizers' user keys, from ADMINS.
	Admins []string
	// AdminToken is ADMIN_TOKEN: the dashboard is on when it is set.
	AdminToken string
	// Provider and Secret are PAYMENT_PROVIDER and PAYMENT_SECRET;
	// cloudpayments is read as tiptoppay.
	Provider, Secret string
	// TipTop and FreedomPay are the real providers' settings, read and
	// checked when PAYMENT_PROVIDER names them.
	TipTop     TipTop
	FreedomPay FreedomPay
	// SupportChat is SUPPORT_CHAT_ID: the Telegram chat of the
	// volunteers who call people back from the help flow.
	SupportChat string
	// Rates are the push rates (messages per second) by channel, from
	// TELEGRAM_RATE.
	Rates map[string]float64
	// WhatsAppPushInterval is WHATSAPP_PUSH_INTERVAL, as written; the
	// WhatsApp channel reads it.
	WhatsAppPushInterval string
	// LogLevel is LOG_LEVEL, as written.
	LogLevel string
	Telegram Telegram
	WhatsApp WhatsApp
	Hardening
}

// WhatsApp is the WhatsApp channel's transport and, for the Cloud API,
// its settings.
type WhatsApp struct {
	// Transport is WHATSAPP_TRANSPORT: "whatsmeow" (the default, a linked
	// phone) or "cloud" (Meta's Cloud API).
	Transport     string
	CloudToken    string // WHATSAPP_CLOUD_TOKEN
	PhoneNumberID string // WHATSAPP_PHONE_NUMBER_ID
	AppSecret     string // WHATSAPP_APP_SECRET
	VerifyToken   string // WHATSAPP_VERIFY_TOKEN
	APIURL        string // WHATSAPP_API_URL
}

// Hardening is what guards the bot's data and its HTTP server.
type Hardening struct {
	// Proxies are TRUSTED_PROXIES: the reverse proxies whose
	// X-Forwarded-For names the client.
	Proxies web.Proxies
	// BackupInterval is BACKUP_INTERVAL (default 1h; 0: no backups) and
	// BackupKeep BACKUP_KEEP (default 48).
	BackupInterval time.Duration
	BackupKeep     int
}

// MinAdminToken is the shortest ADMIN_TOKEN taken: 24 characters of a
// random token cannot be guessed at the rate the dashboard allows.
const MinAdminToken = 24

// BackupDir is where serve writes its backups: DATA_DIR/backups.
func (c Config) BackupDir() string { return filepath.Join(c.DataDir, "backups") }

// readHardening reads TRUSTED_PROXIES, BACKUP_INTERVAL and BACKUP_KEEP,
// and checks ADMIN_TOKEN's length.
func (c *Config) readHardening(getenv func(string) string) error {
	if c.AdminToken != "" && len(c.AdminToken) < MinAdminToken {
		return fmt.Errorf("ADMIN_TOKEN: must be at least %d characters (a random one: openssl rand -base64 24)", MinAdminToken)
	}
	var err error
	if c.Proxies, err = web.ParseProxies(getenv("TRUSTED_PROXIES")); err != nil {
		return err
	}
	c.BackupInterval, c.BackupKeep = time.Hour, 48
	if v := getenv("BACKUP_INTERVAL"); v != "" {
		if c.BackupInterval, err = time.ParseDuration(v); err != nil || c.BackupInterval < 0 {
			return fmt.Errorf("BACKUP_INTERVAL: must be a duration like 1h or 30m, or 0 for no backups, got %q", v)
		}
	}
	if v := getenv("BACKUP_KEEP"); v != "" {
		if c.BackupKeep, err = strconv.Atoi(v); err != nil || c.BackupKeep < 1 {
			return fmt.Errorf("BACKUP_KEEP: must be a number of backups of at least 1, got %q", v)
		}
	}
	return nil
}

// TipTop is TipTop Pay's part of the environment.
type TipTop struct {
	PublicID  string // TIPTOPPAY_PUBLIC_ID
	APISecret string // TIPTOPPAY_API_SECRET
	APIURL    string // TIPTOPPAY_API_URL, default https://api.tiptoppay.kz
}

// FreedomPay is Freedom Pay's part of the environment.
type FreedomPay struct {
	MerchantID string // FREEDOMPAY_MERCHANT_ID
	SecretKey  string // FREEDOMPAY_SECRET_KEY
	APIURL     string // FREEDOMPAY_API_URL, default https://api.freedompay.kz
	Testing    bool   // FREEDOMPAY_TESTING=1: pg_testing_mode
}

// readPayments reads PAYMENT_PROVIDER and PAYMENT_SECRET, and the
// settings of the real provider it names: a missing key stops start-up
// with the variable's name.
func (c *Config) readPayments(getenv func(string) string) error {
	c.Provider, c.Secret = strings.TrimSpace(getenv("PAYMENT_PROVIDER")), getenv("PAYMENT_SECRET")
	if c.Provider == "cloudpayments" {
		c.Provider = "tiptoppay"
	}
	need := func(name, what string) (string, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return "", fmt.Errorf("%s: must be set for PAYMENT_PROVIDER=%s (%s)", name, c.Provider, what)
		}
		return v, nil
	}
	apiURL := func(name, def string) (string, error) {
		v := cmp.Or(strings.TrimSpace(getenv(name)), def)
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return "", fmt.Errorf("%s: must be an http(s) URL like %s, got %q", name, def, v)
		}
		return strings.TrimRight(v, "/"), nil
	}
	var err error
	switch c.Provider {
	case "tiptoppay":
		t := &c.TipTop
		if t.PublicID, err = need("TIPTOPPAY_PUBLIC_ID", "the Public ID in the TipTop Pay cabinet"); err != nil {
			return err
		}
		if t.APISecret, err = need("TIPTOPPAY_API_SECRET", "the API secret in the TipTop Pay cabinet"); err != nil {
			return err
		}
		t.APIURL, err = apiURL("TIPTOPPAY_API_URL", "https://api.tiptoppay.kz")
		return err
	case "freedompay":
		f := &c.FreedomPay
		if f.MerchantID, err = need("FREEDOMPAY_MERCHANT_ID", "the merchant id in the Freedom Pay cabinet"); err != nil {
			return err
		}
		if f.SecretKey, err = need("FREEDOMPAY_SECRET_KEY", "the secret key for accepting payments in the Freedom Pay cabinet"); err != nil {
			return err
		}
		switch v := getenv("FREEDOMPAY_TESTING"); v {
		case "1":
			f.Testing = true
		case "", "0":
		default:
			return fmt.Errorf("FREEDOMPAY_TESTING: must be 1 (test payments) or 0, got %q", v)
		}
		f.APIURL, err = apiURL("FREEDOMPAY_API_URL", "https://api.freedompay.kz")
		return err
	}
	return nil
}

// Telegram is the Telegram channel's part of the environment.
type Telegram struct {
	Token         string // TELEGRAM_TOKEN
	WebhookURL    string // TELEGRAM_WEBHOOK_URL
	WebhookSecret string // TELEGRAM_WEBHOOK_SECRET
	Endpoint      string // TELEGRAM_API_ENDPOINT
}

// DashboardURL is the organizers' dashboard, or "" when it is off (no
// ADMIN_TOKEN).
func (c Config) DashboardURL() string {
	if c.AdminToken == "" {
		return ""
	}
	return strings.TrimRight(c.PublicURL, "/") + "/admin"
}

// ErrHelp is returned when the user asked for help: the help has been
// written to standard output and the run is over, successfully.
var ErrHelp = errors.New("help requested")

// UsageError is a command line that cannot be run: an unknown command or
// flag, or a missing operand. Its message is one line with a hint.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// defaultHTTPAddr is the HTTP server's address without --http or
// HTTP_ADDR.
const defaultHTTPAddr = "127.0.0.1:8080"

// command is a subcommand: what it does, its operands and its flags.
type command struct {
	name, operands, summary string
	flags                   []string
}

// details are more of a command's help, after its flags.
var details = map[string]string{"import-results": importDetails}

// commands are the subcommands in the order the usage lists them.
var commands = []command{
	{"chat", "", "talk to the bot in this terminal (one line = one message), with a local test checkout",
		[]string{"event", "data", "user", "http", "public-url"}},
	{"serve", "", "run the messenger channels and the HTTP server until SIGINT or SIGTERM",
		[]string{"event", "data", "http", "public-url"}},
	{"whatsapp-pair", "", "link the bot's WhatsApp number (QR code, or a pairing code for --phone)",
		[]string{"data", "phone"}},
	{"export", "", "write registrations.csv, funstarts.csv and bibs.csv (or .xlsx with --format xlsx) into --out DIR (a running bot is read over HTTP with ADMIN_TOKEN)",
		[]string{"event", "data", "http", "out", "format", "lang"}},
	{"backup", "", "write a consistent copy of the database to --out FILE (a running bot is read over HTTP with ADMIN_TOKEN)",
		[]string{"event", "data", "http", "out"}},
	{"import-results", "FILE", "import the timing company's results file: shows what changes; --apply applies it and queues each finisher's result (stop the bot first)",
		[]string{"event", "data", "public-url", "apply", "skip-bad", "accept-flagged", "map"}},
	{"check", "[FILE]", "verify the database (or the backup FILE): its pages and every record, with the count per bucket and what is damaged (stop the bot first)",
		[]string{"data"}},
	{"restore", "FILE", "check the backup FILE and put it in place of the database, keeping the old file beside it as bot.db.replaced-TIME (stop the bot first)",
		[]string{"data"}},
}

// importDetails is import-results' help beyond its flags.
const importDetails = `
Files: CSV in UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode
text") or Windows-1251/1252, separated by commas, semicolons or tabs;
or XLSX. The header row may be below a title, among the first 20 rows.
Columns are found by their header, whole, in any case and spacing:
  bib       Bib, Bib#, No., Stnr, Startnummer, Номер, Стартовый номер, Нөмір
  time      Gun Time, Clock Time, Official Time, Time, Guntime, Zeit,
            Время, Результат, Уақыт (without one: the chip time)
  chip      Chip Time, Net Time, Nettime, Чистое время, Таза уақыт
  place     Place, Overall, Rank, Platz, Место, Орын
  status    Status, Статус (DNF, DNS, DQ, сошёл, н/я, шықпады; "-" is DNF)
  name      Name, Фамилия+Имя, Аты-жөні, First/Last Name, Vorname/Nachname
  distance  Distance, Дистанция, Қашықтық
Other headers: --map, or [results.columns] in the event file (the dry
run prints the lines to add). Times: h:mm:ss, mm:ss, fractions after
'.' or ',' (rounded up), 12:24:05 AM, spreadsheet time cells; 48:00:00
is read as 48:00 when the distance makes that the only plausible time.

The dry run lists every row it would add or change: bib, the holder's
name, the file's name and place, the time. It flags a name that is not
the holder's, another distance, and a time faster than the world record
or slower than a walk ([results.pace] in the event file). --apply
refuses a file with problem rows or flagged rows unless --skip-bad
leaves them out or --accept-flagged applies the flagged ones.
`

// Parse reads the command line args (without the program name) and the
// environment through getenv. Help goes to out. It returns ErrHelp
// after help, a *UsageError for a command line that cannot be run, and
// other errors for settings that are wrong.
func Parse(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		io.WriteString(out, Usage())
		return Config{}, ErrHelp
	}
	cmd, ok := find(args[0])
	if !ok {
		return Config{}, &UsageError{fmt.Sprintf("unknown command %q; run 'rfabot --help' for the commands", args[0])}
	}
	cfg := Config{Command: cmd.name}
	fs := cmd.flagSet(&cfg, getenv)
	operands, err := parseInterleaved(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		io.WriteString(out, cmd.usage(fs))
		return Config{}, ErrHelp
	}
	if err != nil {
		return Config{}, &UsageError{fmt.Sprintf("%s: %v; run 'rfabot %s --help' for its flags", cmd.name, err, cmd.name)}
	}
	if want, most := cmd.operandCount(); len(operands) < want || len(operands) > most {
		if most == 0 {
			return Config{}, &UsageError{fmt.Sprintf("%s takes no operands, got %q; run 'rfabot %s --help'", cmd.name, operands, cmd.name)}
		}
		if want == 0 {
			return Config{}, &UsageError{fmt.Sprintf("%s: name at most one %s; run 'rfabot %s --help'", cmd.name, strings.Trim(cmd.operands, "[]"), cmd.name)}
		}
		return Config{}, &UsageError{fmt.Sprintf("%s: name one %s; run 'rfabot %s --help'", cmd.name, cmd.operands, cmd.name)}
	}
	cfg.Operands = operands
	if err := cfg.readEnv(getenv); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// operandCount is how many operands the command takes: at least want,
// at most most ("[FILE]" is optional).
func (c command) operandCount() (want, most int) {
	for _, o := range strings.Fields(c.operands) {
		if !strings.HasPrefix(o, "[") {
			want++
		}
		most++
	}
	return want, most
}

func find(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// flagSet is the command's flags, bound to cfg, with defaults from the
// environment where a flag has a variable.
func (c command) flagSet(cfg *Config, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	or := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	for _, f := range c.flags {
		switch f {
		case "event":
			fs.StringVar(&cfg.EventPath, f, getenv("EVENT_CONFIG"), "event file (TOML); default: the embedded Run for Autism event (env EVENT_CONFIG)")
		case "data":
			fs.StringVar(&cfg.DataDir, f, or("DATA_DIR", "data"), "data directory holding bot.db (env DATA_DIR)")
		case "user":
			fs.StringVar(&cfg.User, f, "console", "the console user to talk as (one per family member, say)")
		case "http":
			fs.StringVar(&cfg.HTTPAddr, f, or("HTTP_ADDR", defaultHTTPAddr), "address of the HTTP server (env HTTP_ADDR)")
		case "public-url":
			fs.StringVar(&cfg.PublicURL, f, getenv("PUBLIC_URL"), "base URL of the HTTP server as people and providers reach it; default http://HTTP_ADDR (env PUBLIC_URL)")
		case "phone":
			fs.StringVar(&cfg.Phone, f, "", "the bot's own number (+77011234567), to link by pairing code instead of QR")
		case "out":
			fs.StringVar(&cfg.Out, f, "", map[string]string{"export": "the directory to write the files to", "backup": "the file to write"}[c.name])
		case "format":
			cfg.Format = export.CSV
			fs.Func(f, "csv (default), or xlsx: typed cells and headers in --lang, for organizers", func(s string) (err error) {
				cfg.Format, err = export.ParseFormat(s)
				return err
			})
		case "lang":
			cfg.Lang = "ru"
			fs.Func(f, "the language of an XLSX file's headers: kk, ru (default) or en", func(s string) error {
				if !locales.Supported(s) {
					return fmt.Errorf("%q is not kk, ru or en", s)
				}
				cfg.Lang = s
				return nil
			})
		case "apply":
			fs.BoolVar(&cfg.Apply, f, false, "apply the file; without it, a dry run")
		case "skip-bad":
			fs.BoolVar(&cfg.SkipBad, f, false, "with --apply, leave out the rows with problems and the flagged rows")
		case "accept-flagged":
			fs.BoolVar(&cfg.AcceptFlagged, f, false, "with --apply, apply the flagged rows too (checked by a person: name, distance, time)")
		case "map":
			fs.StringVar(&cfg.Map, f, "", "columns by their header, for headers the bot does not know: bib=Stnr,time=Zeit (fields: bib, name, last, first, distance, time, chip, place, status)")
		}
	}
	return fs
}

// usage is the command's help: what it does and its flags only.
func (c command) usage(fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: rfabot %s [flags]", c.name)
	if c.operands != "" {
		b.WriteString(" " + c.operands)
	}
	fmt.Fprintf(&b, "\n\n%s.\n\nFlags:\n", c.summary)
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	b.WriteString(details[c.name])
	b.WriteString("\nThe environment variables are listed in the README's configuration table.\n")
	return b.String()
}

// Usage is the program's help: the commands.
func Usage() string {
	var b strings.Builder
	b.WriteString("rfabot: the participant bot of Run for Autism.\n\nUsage: rfabot COMMAND [flags]\n\nCommands:\n")
	for _, c := range commands {
		name := c.name
		if c.operands != "" {
			name += " " + c.operands
		}
		fmt.Fprintf(&b, "  %-20s %s\n", name, c.summary)
	}
	b.WriteString("\nRun 'rfabot COMMAND --help' for a command's flags. The environment\nvariables are listed in the README's configuration table.\n")
	return b.String()
}

// parseInterleaved parses flags that may come before or after the
// operands ("import-results FILE --apply") and returns the operands.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return operands, nil
		}
		operands = append(operands, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// readEnv reads and checks the variables every command shares.
func (c *Config) readEnv(getenv func(string) string) error {
	if c.HTTPAddr == "" {
		// Commands without --http still name the server's address in
		// links (import-results writes diploma links).
		c.HTTPAddr = cmp.Or(getenv("HTTP_ADDR"), defaultHTTPAddr)
	}
	if c.PublicURL == "" {
		c.PublicURL = LocalURL(c.HTTPAddr)
	}
	if c.Command == "chat" && strings.TrimSpace(c.User) == "" {
		return errors.New("--user must not be empty")
	}
	c.AdminToken = getenv("ADMIN_TOKEN")
	c.WhatsAppPushInterval = getenv("WHATSAPP_PUSH_INTERVAL")
	c.LogLevel = getenv("LOG_LEVEL")
	if err := c.readPayments(getenv); err != nil {
		return err
	}
	var err error
	if c.Admins, err = parseAdmins(getenv("ADMINS")); err != nil {
		return err
	}
	if c.SupportChat, err = parseSupportChat(getenv("SUPPORT_CHAT_ID")); err != nil {
		return err
	}
	if c.Rates, err = parseRates(getenv); err != nil {
		return err
	}
	c.Telegram = Telegram{
		Token:         getenv("TELEGRAM_TOKEN"),
		WebhookURL:    getenv("TELEGRAM_WEBHOOK_URL"),
		WebhookSecret: getenv("TELEGRAM_WEBHOOK_SECRET"),
		Endpoint:      getenv("TELEGRAM_API_ENDPOINT"),
	}
	c.WhatsApp = WhatsApp{Transport: cmp.Or(getenv("WHATSAPP_TRANSPORT"), "whatsmeow"),
		CloudToken: getenv("WHATSAPP_CLOUD_TOKEN"), PhoneNumberID: getenv("WHATSAPP_PHONE_NUMBER_ID"),
		AppSecret: getenv("WHATSAPP_APP_SECRET"), VerifyToken: getenv("WHATSAPP_VERIFY_TOKEN"), APIURL: getenv("WHATSAPP_API_URL")}
	if t := c.WhatsApp.Transport; t != "whatsmeow" && t != "cloud" {
		return fmt.Errorf("WHATSAPP_TRANSPORT: %q is neither whatsmeow nor cloud", t)
	}
	return c.readHardening(getenv)
}

// LocalURL is the URL of the bot's HTTP server at addr on this machine:
// a server listening on all interfaces is reached at 127.0.0.1.
func LocalURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// parseAdmins reads ADMINS: comma-separated Telegram user ids (123456789),
// WhatsApp numbers (+77011234567) and console users (console:NAME), as the
// user keys the flows know them by.
func parseAdmins(v string) ([]string, error) {
	var keys []string
	for _, a := range strings.Split(v, ",") {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
		case strings.HasPrefix(a, "console:") && len(a) > len("console:"):
			keys = append(keys, a)
		case strings.HasPrefix(a, "+") && allDigits(a[1:]):
			keys = append(keys, "whatsapp:"+a[1:])
		case allDigits(a):
			keys = append(keys, "telegram:"+a)
		default:
			return nil, fmt.Errorf("ADMINS: %q is neither a Telegram user id, a +number nor console:NAME", a)
		}
	}
	return keys, nil
}

// parseSupportChat reads SUPPORT_CHAT_ID: a Telegram chat id, negative
// for groups (-1001234567890); empty means no call backs.
func parseSupportChat(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && !allDigits(strings.TrimPrefix(v, "-")) {
		return "", fmt.Errorf("SUPPORT_CHAT_ID: %q is not a Telegram chat id like -1001234567890", v)
	}
	return v, nil
}

// defaultRates are the push rates of channels with a *_RATE variable:
// Telegram allows about 30 messages a second. WhatsApp paces its pushes
// itself (WHATSAPP_PUSH_INTERVAL), since bursts get a number restricted.
var defaultRates = map[string]float64{"telegram": 28}

// parseRates reads TELEGRAM_RATE.
func parseRates(getenv func(string) string) (map[string]float64, error) {
	rates := map[string]float64{}
	for channel, def := range defaultRates {
		name := strings.ToUpper(channel) + "_RATE"
		rates[channel] = def
		v := getenv(name)
		if v == "" {
			continue
		}
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 || r > 1000 {
			return nil, fmt.Errorf("%s: must be messages per second between 0 and 1000, got %q", name, v)
		}
		rates[channel] = r
	}
	return rates, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
