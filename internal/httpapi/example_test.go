package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// Example shows how `segfault serve` wires the HTTP API (compiled, not run).
func Example() {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, "data/segfault.db")
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	api, err := httpapi.New(httpapi.Options{
		Store:     st,
		Logger:    slog.New(slog.NewJSONHandler(os.Stderr, nil)),
		PublicURL: "http://127.0.0.1:8080",
		Auth:      auth.Options{Password: auth.DefaultPasswordParams(), SessionIdle: 7 * 24 * time.Hour},
		Providers: []auth.ProviderConfig{
			{Name: "github", ClientID: os.Getenv("GH_ID"), ClientSecret: os.Getenv("GH_SECRET")},
			{Name: "google", ClientID: os.Getenv("G_ID"), ClientSecret: os.Getenv("G_SECRET")},
		},
	})
	if err != nil {
		panic(err)
	}
	go api.Auth().RunJanitor(ctx, time.Hour)
	api.AddReadyCheck(httpapi.ReadyCheck{Name: "queue", Check: func(context.Context) error { return nil }})
	srv := api.HTTPServer("127.0.0.1:8080")
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		panic(err)
	}
}
