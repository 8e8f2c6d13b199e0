package flows_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/runforautism/rfabot/domain"
)

// Every step the package declares is registered by its feature: a
// session stored on a step nobody registered would fall back to the
// menu.
func TestEveryStepIsRegistered(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, nil)
	fset := token.NewFileSet()
	n := 0
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				if sel, ok := v.Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Step" {
					continue
				}
				for i, lit := range v.Values {
					s, err := strconv.Unquote(lit.(*ast.BasicLit).Value)
					if err != nil {
						t.Fatal(err)
					}
					n++
					if !h.conv.HasStep(domain.Step(s)) {
						t.Errorf("%s: step %s (%q) is not registered", name, v.Names[i], s)
					}
				}
			}
		}
	}
	if n < 60 {
		t.Fatalf("found %d steps, want the package's 69 or so", n)
	}
}
