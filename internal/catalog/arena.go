package catalog

import (
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/store"
)

// StatementMarkdown is a version's statement in lang (falling back to
// English) with its image links pointed at the asset route of that exact
// version, as GET /api/v1/problems/{id} shows it: the arena sends the same
// text inside match.state. "" when the package has no statement.
func StatementMarkdown(pkg *problem.Package, sv store.ProblemVersion, lang string) string {
	st := pkg.Statement(lang)
	if st == nil {
		return ""
	}
	return rewriteAssets(st.Markdown, pkg.Assets, func(name string) string { return assetURL(sv, name) })
}
