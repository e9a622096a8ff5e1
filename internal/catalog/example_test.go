package catalog_test

import (
	"context"
	"log/slog"
	"os"

	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// Example shows how `segfault serve` wires the catalog (compiled, not run).
func Example() {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	st, err := sqlite.Open(ctx, "data/segfault.db")
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	api, err := httpapi.New(httpapi.Options{Store: st, Logger: log, PublicURL: "http://127.0.0.1:8080"})
	if err != nil {
		panic(err)
	}
	var problems store.Problems = st // once Store embeds Problems, st itself
	cat := catalog.New(problems, "data", log)
	catalog.LoadBundled(ctx, cat, "problems") // logs and skips broken packages; never fails
	api.MountProblems(cat)                    // the REST routes; httpapi owns the HTTP side
}
