package memstore

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

const (
	tableIntegration = "integration"
	tableConsumer    = "oauth_consumer"
	tableToken       = "oauth_token"
	tableNonce       = "oauth_nonce"
)

// schema mirrors Magento's tables (SPEC §1.1, §2.1, §3.1, §4). Indexes
// marked Unique are also checked by hand on every write: go-memdb only
// enforces uniqueness of the "id" index.
func schema() *memdb.DBSchema {
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tableIntegration: {
			Name: tableIntegration,
			Indexes: map[string]*memdb.IndexSchema{
				"id":       {Name: "id", Unique: true, Indexer: &memdb.IntFieldIndex{Field: "ID"}},
				"name":     {Name: "name", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Name"}},
				"consumer": {Name: "consumer", Indexer: &memdb.IntFieldIndex{Field: "ConsumerID"}},
			},
		},
		tableConsumer: {
			Name: tableConsumer,
			Indexes: map[string]*memdb.IndexSchema{
				"id":     {Name: "id", Unique: true, Indexer: &memdb.IntFieldIndex{Field: "ID"}},
				"key":    {Name: "key", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Key"}},
				"secret": {Name: "secret", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Secret"}},
			},
		},
		tableToken: {
			Name: tableToken,
			Indexes: map[string]*memdb.IndexSchema{
				"id":       {Name: "id", Unique: true, Indexer: &memdb.IntFieldIndex{Field: "ID"}},
				"token":    {Name: "token", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Token"}},
				"consumer": {Name: "consumer", Unique: true, Indexer: &memdb.IntFieldIndex{Field: "ConsumerID"}},
			},
		},
		tableNonce: {
			Name: tableNonce,
			Indexes: map[string]*memdb.IndexSchema{
				"id": {Name: "id", Unique: true, Indexer: &memdb.CompoundIndex{Indexes: []memdb.Indexer{
					&memdb.IntFieldIndex{Field: "ConsumerID"},
					nonceIndex{},
				}}},
				"consumer": {Name: "consumer", Indexer: &memdb.IntFieldIndex{Field: "ConsumerID"}},
			},
		},
	}}
}

// nonceIndex indexes a nonce record by its nonce, the empty string
// included. memdb.StringFieldIndex treats "" as a missing value, which made
// an empty oauth_nonce (which reaches the store, and which Magento
// inserts) fail with a non-sentinel error instead of being recorded once.
// The encoding is StringFieldIndex's: the bytes and a NUL terminator.
type nonceIndex struct{}

var _ memdb.SingleIndexer = nonceIndex{}

func (nonceIndex) FromObject(obj any) (bool, []byte, error) {
	rec, ok := obj.(*nonceRecord)
	if !ok {
		return false, nil, fmt.Errorf("memstore: nonce index of %T", obj)
	}
	return true, nulTerminated(rec.Nonce), nil
}

func (nonceIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("memstore: nonce index takes 1 argument, got %d", len(args))
	}
	nonce, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("memstore: nonce index argument is %T, want string", args[0])
	}
	return nulTerminated(nonce), nil
}

func nulTerminated(s string) []byte {
	return append([]byte(s), 0)
}
