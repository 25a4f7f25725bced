package tour

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestShellBlocks(t *testing.T) {
	md := "intro\n\n## Five-minute tour\n\ntext\n\n```sh\na=1\necho $a\n```\n\n```\nnot shell\n```\n\n" +
		"```sh\nb=2\n```\n\n## Next\n\n```sh\nnot the tour\n```\n"
	section, err := tourSection(md)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a=1\necho $a\n", "b=2\n"}, shellBlocks(section)); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	if _, err := tourSection("# no tour\n"); err == nil {
		t.Error("a README without the tour: no error")
	}
}
