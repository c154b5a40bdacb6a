package contacts

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func addrs(list ...string) []mail.Address {
	var out []mail.Address
	for _, s := range list {
		a, err := mail.ParseAddress(s)
		if err != nil {
			panic(err)
		}
		out = append(out, *a)
	}
	return out
}

func addresses(cs []Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Address)
	}
	return out
}

// clock is a settable time for tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLearnFromSendWithBcc(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	if err := s.Learn(addrs("Ann <ann@example.org>"), addrs("bob@example.org", "ANN@example.org"), addrs("Secret Sam <sam@hidden.example>")); err != nil {
		t.Fatal(err)
	}
	// A second process (stamp-send) sees the same book in the file.
	other, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ann, ok := other.Get("ann@example.org")
	if !ok || ann.Name != "Ann" || ann.Uses != 1 || ann.LastUsed.IsZero() {
		t.Fatalf("ann: %+v %v (typed twice, counts once)", ann, ok)
	}
	sam, ok := other.Get("sam@hidden.example")
	if !ok || sam.Name != "Secret Sam" || sam.Uses != 1 {
		t.Fatalf("the Bcc address is not stored: %+v", sam)
	}
	if got := other.SentWith("ann@example.org"); !slices.Equal(got, []string{"bob@example.org"}) {
		t.Errorf("ann sent with %v, want bob only (never the Bcc)", got)
	}
	if got := other.SentWith("bob@example.org"); !slices.Equal(got, []string{"ann@example.org"}) {
		t.Errorf("bob sent with %v, want ann only", got)
	}
	if got := other.SentWith("sam@hidden.example"); len(got) != 0 {
		t.Errorf("the Bcc address is shown as sent with %v", got)
	}
	data, _ := os.ReadFile(filepath.Join(dir, FileName))
	var f struct {
		Contacts []struct {
			Address string
			With    []string
		}
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Contacts {
		if slices.Contains(c.With, "sam@hidden.example") {
			t.Errorf("the file names the Bcc address as sent with %s", c.Address)
		}
	}
}

func TestRanking(t *testing.T) {
	s := openTemp(t)
	clk := &clock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.Now = clk.now
	if err := s.Add("Jane Smith", "jane@old.example"); err != nil {
		t.Fatal(err)
	}
	// Used 5 times, 120 days ago.
	for range 5 {
		s.Learn(addrs("John Often <john.often@example.com>"), nil, nil)
	}
	clk.t = clk.t.AddDate(0, 4, 0)
	// Used once, today.
	s.Learn(addrs("Johanna Recent <jo@recent.example>"), nil, nil)
	// Used 3 times, today.
	for range 3 {
		s.Learn(addrs("Mr J <x@johnson-and-co.example>"), nil, nil)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"jo", []string{"x@johnson-and-co.example", "jo@recent.example", "john.often@example.com"}},
		{"JOHN", []string{"x@johnson-and-co.example", "john.often@example.com"}},
		{"often", []string{"john.often@example.com"}},  // second word of the name, and a piece of the local part
		{"recent.ex", []string{"jo@recent.example"}},   // the domain
		{"john.o", []string{"john.often@example.com"}}, // the whole local part
		{"jo@re", []string{"jo@recent.example"}},       // the whole address
		{"smith", []string{"jane@old.example"}},        // never sent to, still found
		{"j s", []string{"jane@old.example"}},          // every word must match
		{"ohn", nil},                                   // not a prefix of any word
		{"example", []string{"x@johnson-and-co.example", "jo@recent.example", "john.often@example.com", "jane@old.example"}},
	}
	for _, tt := range tests {
		if got := addresses(s.Search(tt.query, 8)); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
	if got := addresses(s.Search("example", 2)); !slices.Equal(got, []string{"x@johnson-and-co.example", "jo@recent.example"}) {
		t.Errorf("limit 2: %v", got)
	}
}

func TestChineseNamesMatchByAnyCharacterRun(t *testing.T) {
	s := openTemp(t)
	s.Add("张三丰", "zsf@example.cn")
	s.Add("李四", "lisi@example.cn")
	for q, want := range map[string]string{"张": "zsf@example.cn", "三丰": "zsf@example.cn", "李": "lisi@example.cn", "四": "lisi@example.cn"} {
		if got := addresses(s.Search(q, 5)); !slices.Equal(got, []string{want}) {
			t.Errorf("Search(%q) = %v, want %s", q, got, want)
		}
	}
}

func TestForget(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	s.Learn(addrs("ann@example.org", "bob@example.org"), nil, nil)
	if err := s.Remove("BOB@example.org"); err != nil {
		t.Fatal(err)
	}
	again, _ := Open(dir)
	if _, ok := again.Get("bob@example.org"); ok {
		t.Fatal("bob is still in the file")
	}
	if got := again.Search("bo", 5); len(got) != 0 {
		t.Fatalf("bob is still suggested: %v", got)
	}
	if got := again.SentWith("ann@example.org"); len(got) != 0 {
		t.Fatalf("ann still sent with %v", got)
	}
	if c, _ := again.Get("ann@example.org"); len(c.With) != 0 {
		t.Fatalf("the file still names bob with ann: %v", c.With)
	}
	if err := s.Remove("bob@example.org"); err == nil {
		t.Fatal("removing an unknown address says nothing")
	}
}

func TestEdit(t *testing.T) {
	s := openTemp(t)
	s.Learn(addrs("Ann <ann@example.org>", "bob@example.org"), nil, nil)
	if err := s.Edit("ann@example.org", Contact{Name: "Ann Other", Address: "ann@new.example"}); err != nil {
		t.Fatal(err)
	}
	c, ok := s.Get("ann@new.example")
	if !ok || c.Name != "Ann Other" || c.Uses != 1 {
		t.Fatalf("after edit: %+v %v", c, ok)
	}
	if err := s.Edit("ann@new.example", Contact{Address: "bob@example.org"}); err == nil {
		t.Fatal("two contacts with one address")
	}
	if err := s.Edit("ann@new.example", Contact{Address: "not an address"}); err == nil {
		t.Fatal("an invalid address was saved")
	}
}

func TestAnotherProcessesChangeIsSeenAndKept(t *testing.T) {
	dir := t.TempDir()
	app, _ := Open(dir)
	cli, _ := Open(dir)
	app.Learn(addrs("ann@example.org"), nil, nil)
	cli.Learn(addrs("bob@example.org"), nil, nil) // re-reads under the lock: ann stays
	if got := addresses(app.Search("", 0)); len(got) != 2 {
		t.Fatalf("the app sees %v after the other's send, want both", got)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := app
			if i%2 == 1 {
				st = cli
			}
			if err := st.Learn(addrs(fmt.Sprintf("p%d@example.org", i)), nil, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	final, _ := Open(dir)
	if final.Len() != 22 {
		t.Fatalf("%d contacts after 22 concurrent learns", final.Len())
	}
}

func TestBrokenFileIsNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	os.WriteFile(path, []byte(`{"schema":1,"contacts":[{"address":`), 0o600)
	s, err := Open(dir)
	if err == nil {
		t.Fatal("a broken file opened without error")
	}
	if err := s.Learn(addrs("ann@example.org"), nil, nil); err == nil {
		t.Fatal("a learn wrote over a broken file")
	}
	if data, _ := os.ReadFile(path); string(data) != `{"schema":1,"contacts":[{"address":` {
		t.Fatalf("the broken file changed: %q", data)
	}
}

// TestKillDuringSave kills a child process with SIGKILL again and again
// while it saves the book; after each kill the file is whole and has
// every contact the child had finished saving.
func TestKillDuringSave(t *testing.T) {
	if os.Getenv("STAMP_CONTACTS_CHILD") != "" {
		return
	}
	if testing.Short() {
		t.Skip("kills processes in a loop")
	}
	dir := t.TempDir()
	seed, _ := Open(dir)
	var list []mail.Address
	for i := range 3000 {
		list = append(list, mail.Address{Name: fmt.Sprintf("Person %d", i), Address: fmt.Sprintf("p%d@example.org", i)})
	}
	if err := seed.Learn(list, nil, nil); err != nil {
		t.Fatal(err)
	}
	killedMidWrite, lastTemps := 0, 0
	defer func() {
		t.Logf("%d of 8 kills left a half-written temporary file behind", killedMidWrite)
		if killedMidWrite < 4 {
			t.Errorf("only %d kills came in the middle of a write; the 4 stopped there should have", killedMidWrite)
		}
	}()
	for round := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringSaveChild$")
		cmd.Env = append(os.Environ(), "STAMP_CONTACTS_CHILD="+dir)
		if round%2 == 1 {
			// Odd rounds: killed for sure in the middle of writing the
			// new file (the child stops there and says so).
			cmd.Env = append(cmd.Env, "STAMP_CONTACTS_CHILD_STOP=1")
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 64)
		n, _ := out.Read(buf) // the child says it is saving, or that it stopped mid-write
		if round%2 == 1 && !strings.HasPrefix(string(buf[:n]), "mid-write") {
			for !strings.Contains(string(buf[:n]), "mid-write") {
				m, err := out.Read(buf[n:])
				if err != nil {
					t.Fatalf("round %d: the child never reached the middle of a write", round)
				}
				n += m
			}
		} else {
			time.Sleep(time.Duration(round*3) * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		s, err := Open(dir)
		if err != nil {
			t.Fatalf("round %d: the file is damaged after kill -9: %v", round, err)
		}
		if n := s.Len(); n < 3000 {
			t.Fatalf("round %d: %d contacts left of at least 3000", round, n)
		}
		if temps, _ := filepath.Glob(filepath.Join(dir, "."+FileName+".tmp-*")); len(temps) > lastTemps {
			killedMidWrite++ // this kill left a new half-written file
			lastTemps = len(temps)
		}
		for _, i := range []int{0, 1234, 2999} {
			if c, ok := s.Get(fmt.Sprintf("p%d@example.org", i)); !ok || c.Name != fmt.Sprintf("Person %d", i) {
				t.Fatalf("round %d: p%d lost: %+v", round, i, c)
			}
		}
	}
}

// TestKillDuringSaveChild is the child of TestKillDuringSave: it saves
// for ever until killed.
func TestKillDuringSaveChild(t *testing.T) {
	dir := os.Getenv("STAMP_CONTACTS_CHILD")
	if dir == "" {
		t.Skip("run by TestKillDuringSave")
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("STAMP_CONTACTS_CHILD_STOP") != "" {
		midWrite = func() {
			os.Stdout.WriteString("mid-write\n")
			select {} // until killed
		}
	}
	os.Stdout.WriteString("saving\n")
	for i := 0; ; i++ {
		if err := s.Learn(addrs(fmt.Sprintf("child%d@example.org", i%50)), nil, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFileIsPrivate(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	s.Add("", "ann@example.org")
	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	if strings.Contains(s.Search("ann", 1)[0].String(), "<") {
		t.Fatal("a nameless contact is written with angle brackets")
	}
}

func TestStringParsesBackAsTheSameAddress(t *testing.T) {
	for _, c := range []Contact{
		{Name: "Grace Hopper", Address: "grace@example.com"},
		{Name: "Smith, John", Address: "js@example.com"},
		{Name: `Say "hi" \ there`, Address: "q@example.com"},
		{Name: "张伟", Address: "zw@example.cn"},
		{Name: "J. R. Doe", Address: "jr@example.com"},
	} {
		a, err := mail.ParseAddress(c.String())
		if err != nil || a.Name != c.Name || a.Address != c.Address {
			t.Errorf("%q parses as %+v, %v", c.String(), a, err)
		}
	}
}

func TestTheFolderIsMadeOnTheFirstSave(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "yet")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add("", "ann@example.org"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("folder: %v %v", fi, err)
	}
}
