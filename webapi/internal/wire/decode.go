package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// MaxJSONDepth is how deep DecodeJSON lets arrays and objects nest: PHP's
// json_decode default depth.
const MaxJSONDepth = 512

// DecodeJSON decodes one JSON value into the ordered model as PHP's
// json_decode (to arrays) and json_encode would give it back: an object's
// keys keep their order, a key repeated keeps its first place and its last
// value, and an object whose keys are "0", "1", … in order, or that has no
// keys, is an array like any other (see [PHPArray]); numbers stay as
// written ([Number]). It fails on malformed JSON, on anything after the
// value, and on nesting deeper than MaxJSONDepth.
func DecodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	v, err := decodeValue(d, 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("wire: JSON after the value")
	}
	return v, nil
}

func decodeValue(d *json.Decoder, depth int) (any, error) {
	t, err := d.Token()
	if err != nil {
		return nil, fmt.Errorf("wire: JSON: %w", err)
	}
	switch t := t.(type) {
	case json.Delim:
		if depth >= MaxJSONDepth {
			return nil, errors.New("wire: JSON nests deeper than 512")
		}
		if t == '[' {
			l := List{}
			for d.More() {
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			_, err := d.Token() // ']'
			return l, err
		}
		o := Object{}
		index := map[string]int{}
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return nil, fmt.Errorf("wire: JSON: %w", err)
			}
			k, _ := kt.(string)
			v, err := decodeValue(d, depth+1)
			if err != nil {
				return nil, err
			}
			if i, ok := index[k]; ok {
				o[i].Value = v
				continue
			}
			index[k] = len(o)
			o = append(o, Field{Key: k, Value: v})
		}
		if _, err := d.Token(); err != nil { // '}'
			return nil, fmt.Errorf("wire: JSON: %w", err)
		}
		return PHPArray(o), nil
	case json.Number:
		return Number(t), nil
	default: // string, bool, nil
		return t, nil
	}
}

// PHPArray is how PHP's json_encode writes the array o: a list when its
// keys are 0, 1, … in order (an empty one too), an object otherwise.
func PHPArray(o Object) any {
	for i, f := range o {
		if f.Key != strconv.Itoa(i) {
			return o
		}
	}
	l := make(List, len(o))
	for i, f := range o {
		l[i] = f.Value
	}
	return l
}
