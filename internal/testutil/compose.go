package testutil

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// ComposeFile is the repository's docker-compose.yml.
type ComposeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Environment map[string]string `yaml:"environment"`
		Command     []string          `yaml:"command"`
		Healthcheck map[string]any    `yaml:"healthcheck"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   map[string]any    `yaml:"depends_on"`
		Configs     []struct {
			Source string `yaml:"source"`
			Target string `yaml:"target"`
		} `yaml:"configs"`
	} `yaml:"services"`
	Configs map[string]struct {
		Content string `yaml:"content"`
	} `yaml:"configs"`
	Volumes map[string]any `yaml:"volumes"`
}

// RepoFile is the path of a file at the repository's root.
func RepoFile(t testing.TB, name string) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, name)
}

// LoadCompose reads docker-compose.yml.
func LoadCompose(t testing.TB) *ComposeFile {
	t.Helper()
	raw, err := os.ReadFile(RepoFile(t, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c ComposeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// Env is a service's environment as docker compose passes it, with vars (the
// .env file and the shell) substituted.
func (c *ComposeFile) Env(t testing.TB, service string, vars map[string]string) map[string]string {
	t.Helper()
	s, ok := c.Services[service]
	if !ok {
		t.Fatalf("docker-compose.yml has no service %s", service)
	}
	out := map[string]string{}
	for k, v := range s.Environment {
		out[k] = Interpolate(v, vars)
	}
	return out
}

// Interpolate substitutes variables the way docker compose does: $$ is a
// dollar, ${X} and $X the value, ${X:-d} d when X is unset or empty, ${X-d}
// d when X is unset; defaults may hold further substitutions.
func Interpolate(s string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch next := s[i+1]; {
		case next == '$':
			b.WriteByte('$')
			i++
		case next == '{':
			depth, j := 1, i+2
			for ; j < len(s) && depth > 0; j++ {
				switch s[j] {
				case '{':
					depth++
				case '}':
					depth--
				}
			}
			b.WriteString(expand(s[i+2:j-1], vars))
			i = j - 1
		default:
			m := varName.FindString(s[i+1:])
			if m == "" {
				b.WriteByte('$')
				continue
			}
			b.WriteString(vars[m])
			i += len(m)
		}
	}
	return b.String()
}

var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*`)

func expand(expr string, vars map[string]string) string {
	name := varName.FindString(expr)
	rest := expr[len(name):]
	v, set := vars[name]
	switch {
	case strings.HasPrefix(rest, ":-"):
		if v == "" {
			return Interpolate(rest[2:], vars)
		}
	case strings.HasPrefix(rest, "-"):
		if !set {
			return Interpolate(rest[1:], vars)
		}
	}
	return v
}

// EnvFile is a .env file: the variables it sets, and every variable it
// mentions, set or commented out ("# ZL_X=…").
type EnvFile struct {
	Set       map[string]string
	Mentioned map[string]bool
}

var envLine = regexp.MustCompile(`^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$`)

// LoadEnvFile reads a .env file of the repository (e.g. ".env.example").
func LoadEnvFile(t testing.TB, name string) EnvFile {
	t.Helper()
	f, err := os.Open(RepoFile(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := EnvFile{Set: map[string]string{}, Mentioned: map[string]bool{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := envLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		out.Mentioned[m[2]] = true
		if m[1] == "" {
			out.Set[m[2]] = m[3]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
