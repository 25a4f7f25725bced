package memstore

import "github.com/hashicorp/go-memdb"

const tableIntegration = "integration"

// schema holds the integrations by id (docs/magento-behaviour.md §1.1).
// Their unique keys, name and consumer, live beside go-memdb in maps, with
// the consumers and tokens (§2.1, §3.1) and their keys (index.go); nonces
// live in a replay cache (nonce.go).
func schema() *memdb.DBSchema {
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tableIntegration: {
			Name: tableIntegration,
			Indexes: map[string]*memdb.IndexSchema{
				"id": {Name: "id", Unique: true, Indexer: &memdb.IntFieldIndex{Field: "ID"}},
			},
		},
	}}
}
