package memstore_test

import (
	"strconv"
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

// TestConformanceSized runs the suite over a store sized at New: the hint
// changes how much the maps hold before they grow, nothing of what the
// store does. A negative hint is no hint.
func TestConformanceSized(t *testing.T) {
	for _, n := range []int{-1, 3, 1000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) storetest.Store {
				s, err := memstore.New(memstore.Capacity(n))
				if err != nil {
					t.Fatal(err)
				}
				return s
			})
		})
	}
}
