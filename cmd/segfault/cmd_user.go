package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/config"
	"github.com/segfaultarena/segfault/internal/store"
)

func init() {
	register(command{name: "user", summary: "manage accounts: create, role, disable, enable", run: runUser})
}

const userUsage = `usage:
  segfault user create NAME [--role player|admin]   (password read from stdin, first line)
  segfault user role NAME player|admin
  segfault user disable NAME                       (also signs the user out everywhere)
  segfault user enable NAME
Database flags (--db, --data-dir, ...) as for serve.`

func runUser(ctx context.Context, args []string) int {
	return userMain(ctx, args, os.Stdin, os.Stdout, os.Stderr)
}

func userMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, userUsage)
		return 2
	}
	action := args[0]
	var role string
	cfg, rest, err := config.Parse("user "+action, args[1:], os.Getenv, stderr, func(fs *flag.FlagSet) {
		if action == "create" {
			fs.StringVar(&role, "role", "player", "role of the new user: player or admin")
		}
	})
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "segfault user %s: %v\n", action, err)
		return 2
	}
	want := 1
	if action == "role" {
		want = 2
	}
	if len(rest) != want {
		fmt.Fprintln(stderr, userUsage)
		return 2
	}
	name, err := auth.NormalizeUsername(rest[0])
	if err != nil {
		fmt.Fprintf(stderr, "segfault user %s: %v\n", action, err)
		return 2
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "segfault user %s: %v\n", action, err)
		return 1
	}
	defer st.Close()
	if err := userAction(ctx, st, cfg, action, name, role, rest, stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "segfault user %s %s: %v\n", action, name, err)
		return 1
	}
	return 0
}

func parseRole(s string) (store.Role, error) {
	switch r := store.Role(s); r {
	case store.RolePlayer, store.RoleAdmin:
		return r, nil
	}
	return "", fmt.Errorf("role must be player or admin, got %q", s)
}

func userAction(ctx context.Context, st store.Store, cfg *config.Config, action, name, role string, rest []string, stdin io.Reader, stdout io.Writer) error {
	// The identity service owns password rules, hashing and sign-out on
	// disable; the CLI goes through it like the HTTP API does.
	svc, err := auth.New(st, auth.Options{Password: passwordParams(cfg)})
	if err != nil {
		return err
	}
	// With an external NATS (--nats), the API nodes hear at once that the
	// user's sessions ended and close their open sockets; with serve's
	// embedded NATS they notice at their next session check (5 min).
	svc.OnSessionsEnded(func(id int64) {
		if err := announceSessionsEnded(ctx, cfg.NATS, id); err != nil {
			fmt.Fprintf(stdout, "note: open arena sockets close at their next session check (within 5 minutes): %v\n", err)
		}
	})
	switch action {
	case "create":
		r, err := parseRole(role)
		if err != nil {
			return err
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		u, err := svc.CreateUser(ctx, name, strings.TrimRight(line, "\r\n"), r)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %s (id %d, role %s)\n", u.Username, u.ID, u.Role)
		return nil
	case "role", "disable", "enable":
		u, err := st.UserByUsername(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return errors.New("no such user")
		}
		if err != nil {
			return err
		}
		switch action {
		case "role":
			r, err := parseRole(rest[1])
			if err != nil {
				return err
			}
			if err := st.SetUserRole(ctx, u.ID, r); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s is now %s\n", u.Username, r)
		case "disable":
			if err := svc.SetDisabled(ctx, u.ID, true); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s is disabled and signed out\n", u.Username)
		case "enable":
			if err := svc.SetDisabled(ctx, u.ID, false); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s is enabled\n", u.Username)
		}
		return nil
	}
	return fmt.Errorf("unknown action %q\n%s", action, userUsage)
}

// announceSessionsEnded tells the API nodes on the NATS at url that user's
// sessions ended (bus.Names.SessionsEnded; the arena re-checks the user's
// sockets).
func announceSessionsEnded(ctx context.Context, url string, user int64) error {
	if url == "" {
		return errors.New("no --nats: the API nodes cannot be told now")
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	nc, err := bus.Connect(cctx, url, "segfault-user")
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := nc.Publish(bus.Names{}.SessionsEnded(), strconv.AppendInt(nil, user, 10)); err != nil {
		return err
	}
	return nc.FlushWithContext(cctx)
}
