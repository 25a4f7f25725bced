package memstore_test

import (
	"testing"

	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		s, err := memstore.New()
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
