package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/runforautism/rfabot/config"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/formats/results"
	"github.com/runforautism/rfabot/storage"
)

// cliAdmin is who the audit log names for exports and backups made with
// the subcommands on a stopped bot.
const cliAdmin = "cli"

// exportFiles is `rfabot export --out DIR [--format xlsx] [--lang kk]`:
// registrations, funstarts and bibs (see flows.Export) written into DIR
// as .csv or .xlsx. When one fails, the ones written before it are
// removed too: a set of files is whole or absent.
func exportFiles(ctx context.Context, cfg config.Config, out io.Writer, log *slog.Logger) (err error) {
	if cfg.Out == "" {
		return errors.New("export: --out DIR is required")
	}
	if err := os.MkdirAll(cfg.Out, 0o700); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	file := func(kind string) flows.ExportFile {
		return flows.ExportFile{Kind: kind, Format: cfg.Format, Lang: cfg.Lang}
	}
	path := func(kind string) string { return filepath.Join(cfg.Out, kind+"."+string(cfg.Format)) }
	defer func() {
		if err != nil {
			for _, kind := range flows.ExportKinds {
				os.Remove(path(kind))
			}
			err = fmt.Errorf("export: nothing written: %w", err)
		}
	}()
	return withData(cfg, log,
		func(a *app) error {
			for _, kind := range flows.ExportKinds {
				err := writeFile(path(kind), func(w io.Writer) error { return a.conv.Export(ctx, cliAdmin, file(kind), w) })
				if err != nil {
					return err
				}
				fmt.Fprintln(out, path(kind))
			}
			return nil
		},
		func(base string) error {
			for _, kind := range flows.ExportKinds {
				from := base + "/admin/export/" + kind + "." + string(cfg.Format) + "?lang=" + url.QueryEscape(cfg.Lang)
				if err := fetch(ctx, cfg, from, path(kind)); err != nil {
					return err
				}
				fmt.Fprintln(out, path(kind))
			}
			return nil
		})
}

// backup is `rfabot backup --out FILE`: a consistent copy of the
// database, from the file itself when the bot is stopped, else from the
// running bot's GET /admin/backup.
func backup(ctx context.Context, cfg config.Config, out io.Writer, log *slog.Logger) error {
	if cfg.Out == "" {
		return errors.New("backup: --out FILE is required")
	}
	return withData(cfg, log,
		func(a *app) error {
			var n int64
			err := writeFile(cfg.Out, func(w io.Writer) error {
				var err error
				n, err = a.store.WriteBackup(w)
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(out, cfg.Out)
			return a.conv.Audit(ctx, cliAdmin, "backup", "database", strconv.FormatInt(n, 10)+" bytes")
		},
		func(base string) error {
			if err := fetch(ctx, cfg, base+"/admin/backup", cfg.Out); err != nil {
				return err
			}
			fmt.Fprintln(out, cfg.Out)
			return nil
		})
}

// withData runs local on the data directory when no bot holds it; when
// a running bot does, it runs remote with the base URL of that bot's
// HTTP server (HTTP_ADDR), which needs ADMIN_TOKEN.
func withData(cfg config.Config, log *slog.Logger, local func(*app) error, remote func(base string) error) error {
	a, err := open(cfg, log)
	if errors.Is(err, storage.ErrLocked) {
		if cfg.AdminToken == "" {
			return fmt.Errorf("%w: set ADMIN_TOKEN to read it from the running bot's dashboard, or stop the bot", err)
		}
		return remote(config.LocalURL(cfg.HTTPAddr))
	}
	if err != nil {
		return err
	}
	defer a.close(log)
	return local(a)
}

// fetchTimeout bounds one download from the running bot.
const fetchTimeout = 10 * time.Minute

// fetch downloads url from the running bot with ADMIN_TOKEN into path.
func fetch(ctx context.Context, cfg config.Config, url, path string) error {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+cfg.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("the database is held by a running bot, and its dashboard does not answer: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s from the running bot: %s (is ADMIN_TOKEN the bot's?)", url, resp.Status)
	}
	return writeFile(path, func(w io.Writer) error {
		_, err := io.Copy(w, resp.Body)
		return err
	})
}

// writeFile writes path through a temporary file renamed into place, so
// a failed write never leaves half a file under the name.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// checkData is `rfabot check [FILE]`: the database in --data, or the
// backup FILE, checked page by page and record by record, with its
// count per bucket. Damage is an error.
func checkData(cfg config.Config, files []string, out io.Writer) error {
	path := filepath.Join(cfg.DataDir, "bot.db")
	if len(files) == 1 {
		path = files[0]
	}
	rep, err := storage.Check(path, cfg.BackupDir())
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("check: %w: stop it first, or check one of its backups in %s", err, cfg.BackupDir())
	}
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	for _, b := range rep.Buckets {
		fmt.Fprintf(out, "%-22s %d\n", b.Name, b.Keys)
	}
	if rep.OK() {
		fmt.Fprintf(out, "%s: OK\n", path)
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(out, "DAMAGED", p)
	}
	last := storage.LatestBackup(cfg.BackupDir())
	if last == "" || last == path {
		return fmt.Errorf("check: %s is damaged (%d problems above)", path, len(rep.Problems))
	}
	return fmt.Errorf("check: %s is damaged (%d problems above); last good backup: %s (rfabot restore %s)", path, len(rep.Problems), last, last)
}

// restore is `rfabot restore FILE`: the backup FILE checked and put in
// place of the database in --data, with the bot stopped.
func restore(cfg config.Config, from string, out io.Writer) error {
	path := filepath.Join(cfg.DataDir, "bot.db")
	replaced, err := storage.Restore(from, path)
	if errors.Is(err, storage.ErrLocked) {
		return fmt.Errorf("%w: stop the bot first", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "restored %s to %s\n", from, path)
	if replaced != "" {
		fmt.Fprintf(out, "the file it replaced is kept as %s\n", replaced)
	}
	return nil
}

// maxResultsFile is the largest results file import-results reads.
const maxResultsFile = 32 << 20

// importResults is import-results: the dry run of a results file, or
// with --apply its import, reported in English, every row listed. It
// holds the database, so the bot must be stopped; the pushes it queues
// go out when the bot runs. A file that cannot be applied as asked is
// an error.
func importResults(ctx context.Context, cfg config.Config, path string, out io.Writer, log *slog.Logger) error {
	m, err := results.ParseMapping(cfg.Map)
	if err != nil {
		return fmt.Errorf("import-results: --map: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("results file: %w", err)
	}
	if st.Size() > maxResultsFile {
		return fmt.Errorf("results file %s: over %d MiB", path, maxResultsFile>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("results file: %w", err)
	}
	a, err := open(cfg, log)
	if err != nil {
		return err
	}
	defer a.close(log)
	name := filepath.Base(path)
	o := flows.ImportOptions{Map: m, SkipBad: cfg.SkipBad, AcceptFlagged: cfg.AcceptFlagged}
	var rep flows.ImportReport
	if cfg.Apply {
		rep, err = a.conv.ApplyResults(ctx, cliAdmin, name, data, o)
	} else {
		rep, err = a.conv.PreviewResults(ctx, name, data, o)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(out, a.conv.ImportReportText("en", rep))
	switch {
	case !cfg.Apply && rep.CanApply(o):
		fmt.Fprintln(out, "\nDry run: nothing was applied. Run again with --apply to apply it.")
	case !cfg.Apply && rep.Flagged > 0 && rep.CanApply(flows.ImportOptions{SkipBad: true}):
		fmt.Fprintln(out, "\nDry run: nothing was applied. Check the flagged rows, then run again with --apply --accept-flagged to apply them too, or with --apply --skip-bad to leave them and the rows with problems out.")
	case !cfg.Apply && rep.CanApply(flows.ImportOptions{SkipBad: true}):
		fmt.Fprintln(out, "\nDry run: nothing was applied. Fix the rows, or run again with --apply --skip-bad.")
	case cfg.Apply && !rep.Applied && rep.FileProblem == "" && rep.Previous == nil && rep.Flagged > 0 && len(rep.Problems) == 0 && !cfg.SkipBad:
		return errors.New("import-results: nothing applied: the file has flagged rows (see above); check them, then add --accept-flagged to apply them or --skip-bad to leave them out")
	case cfg.Apply && !rep.Applied && (rep.FileProblem != "" || (len(rep.Problems) > 0 || rep.Flagged > 0) && !cfg.SkipBad):
		return errors.New("import-results: nothing applied: the file has problems (see above); fix them, or add --skip-bad")
	}
	return nil
}
