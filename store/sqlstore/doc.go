// Package sqlstore is the database/sql storage backend of magekit: one
// implementation, two dialects. SQLite (modernc.org/sqlite, pure Go, no cgo)
// keeps the emulator's state in a file; MySQL or MariaDB
// (github.com/go-sql-driver/mysql), the engine Magento itself runs on, lets
// many stateless processes share one database.
//
// A [Store] implements [integration.Store] and with it [oauth.Store], with
// the semantics of the reference backend, store/memstore, and passes the
// same conformance suite (store/storetest). It is safe for concurrent use,
// copies records in and out, checks ctx.Err() before any work, and returns
// the sentinels of package store, never a zero value with a nil error.
// Uniqueness is the database's job, so it holds across processes: the
// primary key (nonce, consumer_id) admits a nonce once, UNIQUE keys guard
// integration names and consumers, consumer keys and secrets, token values
// and the one token row per consumer, and the request → access exchange is
// a compare-and-set (UPDATE ... WHERE entity_id = ? AND type = ?).
// Constraint violations become store.ErrExists (SQLite's UNIQUE and PRIMARY
// KEY codes, MySQL's 1062) and a foreign key violation, a consumer that
// does not exist, store.ErrNotFound (SQLite's FOREIGNKEY code, MySQL's
// 1452).
//
// # Usage
//
//	s, err := sqlstore.Open(ctx, "sqlite:/var/lib/magekit/magekit.db")
//	if err != nil { ... }
//	defer s.Close()
//	svc := integration.NewService(s, integration.Config{})
//
// [Open] takes the emulator's -store values:
//
//	sqlite:PATH[?PARAMS]   a SQLite file, created if missing. PARAMS are
//	                       modernc.org/sqlite's; the store sets journal_mode
//	                       WAL, synchronous NORMAL, busy_timeout 10 s,
//	                       foreign_keys ON, mmap_size 1 GiB and
//	                       _txlock=immediate itself.
//	mysql:DSN              go-sql-driver/mysql's DSN, which must name the
//	                       database, e.g.
//	                       mysql:magekit:secret@tcp(127.0.0.1:3306)/magekit
//	                       The store forces parseTime, loc=UTC,
//	                       clientFoundRows, interpolateParams, a utf8mb4
//	                       connection and sql_mode STRICT_ALL_TABLES.
//
// Open creates the schema, or migrates it: numbered steps recorded in the
// table magekit_migrations, each idempotent. Two processes may Open one
// fresh database at once: with SQLite the steps run in one BEGIN IMMEDIATE
// transaction, with MySQL under GET_LOCK('magekit_migrate', 30). Give the
// store a database of its own, not a Magento one: the table names are
// Magento's.
//
// # Transactions and the hot path
//
// [Store.Atomic] runs its function in one database transaction, with a
// tx that implements the whole interface; Atomic on that tx joins the same
// transaction. With SQLite it begins IMMEDIATE, taking the write lock up
// front, and the writers of one process also queue on an in-process lock
// instead of SQLite's busy wait, so writers are serialised as in memstore
// and never fail with SQLITE_BUSY while another waits. With MySQL it runs
// READ COMMITTED and every read inside it is a locking read (SELECT ... FOR
// UPDATE), so a read-modify-write inside Atomic is never lost to a
// concurrent writer; InnoDB may end one of two transactions that lock the
// same rows in opposite orders with a deadlock error, which Atomic returns.
// (With binary logging on, READ COMMITTED needs binlog_format ROW or MIXED,
// the defaults of MySQL 8 and MariaDB.)
// Writes of several statements (CreateIntegration, UpdateIntegration,
// DeleteIntegration) made on the Store itself run in a transaction of their
// own.
//
// The request-verification path is two round trips: [Store.ConsumerToken]
// is one SELECT (the consumer with the token row LEFT JOINed on its value)
// and [Store.UseNonce] one INSERT. A signed REST call is two as well: the
// store is an oauth.OwnerStore, whose [Store.ConsumerTokenOwner] brings the
// consumer's integration and its allow rules in the same SELECT, so the
// caller's identity needs no third read. With SQLite the three statements
// are prepared once per connection; with MySQL their arguments are
// interpolated, so each is one round trip. [Store.RoundTrips] counts what
// the store sends; BenchmarkVerifyStore (ConsumerTokenOwner and UseNonce)
// reports it per verified request, and BenchmarkSignedREST per signed call
// through the REST server.
//
// # Deviations from Magento's schema
//
// The tables are Magento's (docs/magento-behaviour.md §1.1, §2.1, §3.1, §4, §10.1) with their keys
// and unique constraints, except:
//
//   - In SQLite oauth_nonce is a WITHOUT ROWID table whose primary key is
//     (consumer_id, nonce), the same uniqueness as Magento's (nonce,
//     consumer_id) in the other order, and it has no separate consumer_id
//     index (the key serves the foreign key): recording a nonce writes two
//     B-trees instead of four (migration 2). MySQL keeps Magento's layout.
//   - integration.consumer_id references oauth_consumer ON DELETE SET NULL,
//     not CASCADE: DeleteConsumer leaves the integration, as memstore does,
//     but unlike memstore the integration's ConsumerID then reads 0. For the
//     same reason an integration can only name a consumer that exists
//     (CreateIntegration and UpdateIntegration return store.ErrNotFound
//     otherwise); memstore does not check. The integration Service never
//     meets either case: it deletes the integration with its consumer and
//     creates them together.
//   - integration.all_resources (0 or 1) is ours: it keeps the admin form's
//     "Resource Access" choice, so that an integration reads back exactly as
//     it was stored even when a Custom list is just Magento_Backend::all.
//   - The grant lives where Magento keeps it: one authorization_role per
//     integration (role_type 'U', user_type '1', user_id the integration id,
//     role_name "1"+id, tree_level 1) and its authorization_rule rows. All is
//     the single rule (Magento_Backend::all, allow); Custom is one allow rule
//     per listed resource, in list order (rule_id keeps it). Magento also
//     writes Magento_Backend::admin and a deny rule for every other resource
//     of the ACL tree; the tree is not the store's concern, so only the allow
//     rules of the list are stored. Reading an integration rebuilds
//     AllResources and Resources from them. authorization_role has a UNIQUE
//     key (user_type, user_id) that Magento's lacks.
//   - oauth_token.consumer_id is NOT NULL and UNIQUE: one integration token
//     row per consumer, Magento's admin_id and customer_id columns are
//     left out.
//   - Widths are generous where Magento's would reject what memstore takes:
//     keys, secrets, tokens and nonces up to 255 bytes, names up to 1020,
//     URLs TEXT, oauth_nonce.timestamp BIGINT. Too-long values are an error
//     (strict mode), never truncated as Magento's empty SQL_MODE does.
//   - Times are DATETIME(6) in MySQL and text in SQLite, in UTC with
//     microsecond precision (Magento's timestamp columns keep seconds);
//     finer digits are dropped and a zero time is NULL. They read back in
//     UTC.
//   - The secret columns hold plaintext; Magento encrypts them (docs/magento-behaviour.md §2.5).
//
// # Collation
//
// Magento's tables use a case-insensitive collation, so Magento finds a
// consumer key, token or nonce whatever its case. memstore compares exactly,
// and so does this store: in MySQL the columns of keys, secrets, tokens,
// verifiers, nonces and integration names are VARBINARY (byte for byte,
// trailing spaces significant); SQLite's default BINARY collation already
// is exact. Generated credentials are 32 characters of [0-9a-z], lower case,
// so the difference does not matter in practice.
//
// # Consistency
//
// [Store.Check] verifies the invariants the integration Service keeps (every
// integration has its consumer and its ACL role; every token row, nonce,
// role and rule has what it belongs to) and, with SQLite, runs PRAGMA
// integrity_check and foreign_key_check. TestCrashConsistency kills a
// process with SIGKILL in the middle of a burst of activations against a
// SQLite file and checks that the file opens and passes Check.
//
// # Tests
//
// The SQLite tests need nothing. The MySQL tests run when MAGEKIT_MYSQL_DSN
// names a server (each test creates and drops a database
// magekit_test_<random> on it, so the user needs CREATE and DROP), are
// skipped without it, and fail without it when CI=true. To run them locally,
// as root on Debian or Ubuntu:
//
//	bash .ci/mariadb.sh start   # installs mariadb-server if needed, prints the DSN
//	MAGEKIT_MYSQL_DSN='magekit:magekit@unix(/tmp/magekit-mariadb/mysqld.sock)/magekit_test?parseTime=true' \
//		go test ./store/sqlstore/
//	bash .ci/mariadb.sh stop
//
// or `source .ci/mariadb.sh start`, which exports MAGEKIT_MYSQL_DSN. The
// benchmark: go test -run '^$' -bench BenchmarkVerifyStore ./store/sqlstore/
// (100,000 integrations; -short seeds 10,000).
package sqlstore
