package memstore

import (
	"fmt"

	"github.com/hashicorp/go-memdb"

	"github.com/magekit/magekit/oauth"
)

const (
	tableIntegration = "integration"
	tableConsumer    = "oauth_consumer"
	tableToken       = "oauth_token"
)

// schema mirrors Magento's tables (docs/magento-behaviour.md §1.1, §2.1,
// §3.1) by id. Their unique keys (integration name and consumer, consumer
// key and secret, token value and consumer) live beside go-memdb, in maps
// (index.go), and nonces in a replay cache (nonce.go), because they are
// written on every signed request.
func schema() *memdb.DBSchema {
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tableIntegration: {
			Name: tableIntegration,
			Indexes: map[string]*memdb.IndexSchema{
				"id": {Name: "id", Unique: true, Indexer: &memdb.IntFieldIndex{Field: "ID"}},
			},
		},
		tableConsumer: {
			Name: tableConsumer,
			Indexes: map[string]*memdb.IndexSchema{
				"id": {Name: "id", Unique: true, Indexer: &memdb.IntFieldIndex{Field: "ID"}},
			},
		},
		tableToken: {
			Name: tableToken,
			Indexes: map[string]*memdb.IndexSchema{
				"id": {Name: "id", Unique: true, Indexer: &memdb.IntFieldIndex{Field: "ID"}},
				// request finds the request tokens the cleanup deletes
				// without scanning the access tokens, which it leaves out:
				// an access token, the row every Active integration keeps,
				// costs no entry in it.
				"request": {Name: "request", AllowMissing: true, Indexer: requestTokenIndex{}},
			},
		},
	}}
}

// requestTokenIndex indexes the request tokens only. Every entry has the
// same value, so the index is read with no argument, as the list of the
// request tokens; go-memdb appends the id to keep the entries apart.
type requestTokenIndex struct{}

var requestTokenValue = []byte{1}

func (requestTokenIndex) FromObject(obj any) (bool, []byte, error) {
	t, ok := obj.(*oauth.Token)
	if !ok {
		return false, nil, fmt.Errorf("memstore: request index: %T is not a token", obj)
	}
	if t.Type != oauth.TokenRequest {
		return false, nil, nil
	}
	return true, requestTokenValue, nil
}

func (requestTokenIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 0 {
		return nil, fmt.Errorf("memstore: request index: takes no argument, got %d", len(args))
	}
	return requestTokenValue, nil
}
