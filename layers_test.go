package main

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The layers of the code, as `go list` sees the imports of each
// package's non-test files. To add a rule, add a line to layerRules;
// to add a package to a group, add it to the group's list.

// module is the import path of this module.
const module = "github.com/runforautism/rfabot"

// adapters are the packages at the edge, each speaking to one outside
// party: the messengers, the organizers' browser, the payment providers,
// the diploma downloads (formats/diploma serves them beside drawing
// them), and the HTTP server all of them share. A path stands for its
// subpackages too (bot/telegram/tgfake is Telegram's).
var adapters = []string{
	"bot/telegram", "bot/whatsapp", "bot/whatsappcloud", "bot/console",
	"bot/dashboard", "bot/payments", "formats/diploma", "bot/web",
}

// sharedAdapters are the adapters the others may import, and why.
var sharedAdapters = map[string]string{
	"bot/web": "the limits, client address and security headers of every HTTP server",
}

// channelAdapters are the adapters of the messengers: they speak the
// conversation types of dialog and know nothing of the domain.
var channelAdapters = []string{"bot/telegram", "bot/whatsapp", "bot/whatsappcloud", "bot/console"}

// layerRule: no package in from imports a package in notTo (import
// paths, a path standing for its subpackages too).
type layerRule struct {
	name  string
	from  []string
	notTo []string
}

func inModule(paths ...string) []string {
	var out []string
	for _, p := range paths {
		out = append(out, module+"/"+p)
	}
	return out
}

// layerRules are checked on every package of the module.
var layerRules = []layerRule{
	{"adapters reach storage only through interfaces main passes in", inModule(adapters...), inModule("storage")},
	{"flows know nothing of the runtime or the adapters", inModule("flows"), inModule("bot")},
	{"channel adapters know nothing of the domain", inModule(channelAdapters...), inModule("domain", "storage")},
	{"the domain knows nothing of flows, storage or the adapters", inModule("domain"), inModule("flows", "storage", "bot")},
	{"the conversation types stand alone", inModule("dialog"), inModule("domain", "flows", "storage", "bot", "event", "locales")},
}

// under reports whether the import path p is pkg or one of its
// subpackages.
func under(p, pkg string) bool { return p == pkg || strings.HasPrefix(p, pkg+"/") }

func underAny(p string, pkgs []string) bool {
	return slices.ContainsFunc(pkgs, func(pkg string) bool { return under(p, pkg) })
}

// listedPackage is what the test reads of `go list -json`.
type listedPackage struct {
	ImportPath string
	Imports    []string
}

func goList(t *testing.T) []listedPackage {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list: %v\n%s", err, exit.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// adapterOf is the adapter p belongs to, "" for none.
func adapterOf(p string) string {
	for _, a := range adapters {
		if under(p, module+"/"+a) {
			return a
		}
	}
	return ""
}

// broken lists the rules that the package from importing imp breaks.
func broken(from, imp string) []string {
	var out []string
	if under(imp, "go.etcd.io/bbolt") && !under(from, module+"/storage") {
		out = append(out, "only storage imports bbolt")
	}
	if a, b := adapterOf(from), adapterOf(imp); a != "" && b != "" && a != b && sharedAdapters[b] == "" {
		out = append(out, "no adapter imports another")
	}
	for _, r := range layerRules {
		if underAny(from, r.from) && underAny(imp, r.notTo) {
			out = append(out, r.name)
		}
	}
	return out
}

func TestLayers(t *testing.T) {
	pkgs := goList(t)
	// A group whose packages were renamed away would pass every rule.
	for _, a := range append(adapters, "storage", "flows", "domain", "dialog") {
		if !slices.ContainsFunc(pkgs, func(p listedPackage) bool { return under(p.ImportPath, module+"/"+a) }) {
			t.Errorf("no package %s: rename it in layers_test.go", a)
		}
	}
	for _, c := range channelAdapters {
		if !slices.Contains(adapters, c) {
			t.Errorf("channel adapter %s is not in adapters", c)
		}
	}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			for _, rule := range broken(p.ImportPath, imp) {
				t.Errorf("%s imports %s: %s", p.ImportPath, imp, rule)
			}
		}
	}
}

// The rules catch what they forbid, and let through what they do not.
func TestLayerRulesRefuse(t *testing.T) {
	for _, tt := range []struct {
		from, imp string
		want      bool
	}{
		{module + "/bot/telegram", module + "/storage", true},
		{module + "/bot/dashboard/internal", module + "/storage", true},
		{module + "/bot/app", module + "/storage", false},
		{module + "/flows", module + "/bot/web", true},
		{module + "/flows", module + "/event", false},
		{module + "/bot/console", module + "/bot/payments", true},
		{module + "/bot/telegram/tgfake", module + "/bot/whatsappcloud/cloudtest", true},
		{module + "/bot/telegram/tgfake", module + "/bot/telegram", false},
		{module + "/bot/dashboard", module + "/bot/web", false},
		{module + "/bot/whatsappx", module + "/bot/telegram", false},
		{module + "/bot/app", "go.etcd.io/bbolt/errors", true},
		{module + "/storage", "go.etcd.io/bbolt", false},
	} {
		if got := broken(tt.from, tt.imp); (len(got) > 0) != tt.want {
			t.Errorf("%s importing %s breaks %q; want a rule broken: %v", tt.from, tt.imp, got, tt.want)
		}
	}
}
