package migrate

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []int64
		wantErr string
	}{
		{
			name: "sorted by number not by name",
			files: fstest.MapFS{
				"m/10_later.sql": {Data: []byte("b")},
				"m/2_first.sql":  {Data: []byte("a")},
				"m/README.md":    {Data: []byte("ignored")},
			},
			want: []int64{2, 10},
		},
		{
			name:    "duplicate version",
			files:   fstest.MapFS{"m/0001_a.sql": {}, "m/1_b.sql": {}},
			wantErr: "share version 1",
		},
		{
			name:    "no number",
			files:   fstest.MapFS{"m/users.sql": {}},
			wantErr: "name must be",
		},
		{
			name:    "zero version",
			files:   fstest.MapFS{"m/0000_x.sql": {}},
			wantErr: "name must be",
		},
		{
			name:    "empty",
			files:   fstest.MapFS{"m/x.txt": {}},
			wantErr: "no migrations",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.files, "m")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load error = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d migrations, want %d", len(got), len(tt.want))
			}
			for i, m := range got {
				if m.Version != tt.want[i] {
					t.Errorf("migration %d version = %d, want %d", i, m.Version, tt.want[i])
				}
			}
		})
	}
}
