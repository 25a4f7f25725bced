package sqlstore

import (
	"fmt"
	"strconv"
	"time"
)

// timeLayout is how times are written: UTC, microseconds, no zone. MySQL's
// DATETIME(6) takes it as is; SQLite keeps it as text, which sorts as the
// times do. Parsing takes any number of fractional digits.
const timeLayout = "2006-01-02 15:04:05.000000"

// dbTime is the column value of t: NULL for the zero time, otherwise t in
// UTC truncated to the microsecond.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// dbString is the column value of a nullable string column: NULL for "".
func dbString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// dbID is the column value of a nullable reference: NULL for 0.
func dbID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// timeScan scans a column written by dbTime; NULL is the zero time.
type timeScan struct{ p *time.Time }

func (d timeScan) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*d.p = time.Time{}
	case time.Time:
		*d.p = v.UTC()
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	default:
		return fmt.Errorf("sqlstore: scan %T into a time", v)
	}
	return nil
}

func (d timeScan) parse(s string) error {
	// Without fractional digits in the layout, Parse takes any number of
	// them (or none) after the seconds.
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, time.UTC)
	if err != nil {
		// Text written by something else, e.g. SQLite's CURRENT_TIMESTAMP
		// or the driver's own format with a zone.
		if t, err = time.Parse("2006-01-02 15:04:05.999999999-07:00", s); err != nil {
			return fmt.Errorf("sqlstore: scan time %q: %w", s, err)
		}
	}
	*d.p = t.UTC()
	return nil
}

// stringScan scans a string column; NULL is "".
type stringScan struct{ p *string }

func (d stringScan) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*d.p = ""
	case string:
		*d.p = v
	case []byte:
		*d.p = string(v)
	default:
		return fmt.Errorf("sqlstore: scan %T into a string", v)
	}
	return nil
}

// intScan scans an integer column; NULL is 0.
type intScan[T ~int | ~int64] struct{ p *T }

func (d intScan[T]) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*d.p = 0
	case int64:
		*d.p = T(v)
	case uint64:
		*d.p = T(v)
	case []byte:
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return fmt.Errorf("sqlstore: scan %q into an integer: %w", v, err)
		}
		*d.p = T(n)
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("sqlstore: scan %q into an integer: %w", v, err)
		}
		*d.p = T(n)
	default:
		return fmt.Errorf("sqlstore: scan %T into an integer", v)
	}
	return nil
}

// boolScan scans a 0/1 column; NULL is false.
type boolScan struct{ p *bool }

func (d boolScan) Scan(v any) error {
	var n int64
	if err := (intScan[int64]{&n}).Scan(v); err != nil {
		return err
	}
	*d.p = n != 0
	return nil
}

// dbBool is the column value of b.
func dbBool(b bool) int {
	if b {
		return 1
	}
	return 0
}
