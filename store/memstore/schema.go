package memstore

import "github.com/hashicorp/go-memdb"

const (
	tableIntegration = "integration"
	tableConsumer    = "oauth_consumer"
	tableToken       = "oauth_token"
)

// schema mirrors Magento's tables (docs/magento-behaviour.md §1.1, §2.1, §3.1). Nonces live
// apart, in a replay cache (nonce.go), because they are written on every
// signed request. Indexes
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
				// type finds the request tokens the cleanup deletes
				// without scanning the access tokens.
				"type": {Name: "type", Indexer: &memdb.StringFieldIndex{Field: "Type"}},
			},
		},
	}}
}
