package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/store"
)

// Magento's values for an integration's ACL role and rules (docs/magento-behaviour.md §10.1).
const (
	// roleUserType is authorization_role.user_type of an integration's role
	// (UserContextInterface::USER_TYPE_INTEGRATION as text).
	roleUserType = "1"
	// resourceAll is the single rule of "Resource Access: All".
	resourceAll = "Magento_Backend::all"
	// ruleBatch is the most rules one INSERT carries.
	ruleBatch = 200
)

// integrationSelect reads integrations with their allow rules in one
// statement: one row per rule (or one row with a NULL rule), in rule order.
const integrationSelect = "SELECT " + integrationCols + ", r.resource_id FROM integration i" + grantJoins

// integrationCols are the integration's own columns, and grantJoins the
// joins that bring its allow rules (r.resource_id), one row per rule.
const (
	integrationCols = `i.integration_id, i.name, i.email, i.endpoint, i.status, i.consumer_id,
	i.created_at, i.updated_at, i.setup_type, i.identity_link_url, i.all_resources`
	grantJoins = `
LEFT JOIN authorization_role ro ON ro.user_type = '1' AND ro.user_id = i.integration_id
LEFT JOIN authorization_rule r ON r.role_id = ro.role_id AND r.permission = 'allow'`
)

// integrationDest appends the scan destinations of integrationCols and
// r.resource_id to dst. Every one takes NULL, for the LEFT JOIN of
// ConsumerTokenOwner.
func integrationDest(dst []any, in *integration.Integration, res *string) []any {
	return append(dst, intScan[int64]{&in.ID}, stringScan{&in.Name}, stringScan{&in.Email}, stringScan{&in.Endpoint},
		intScan[integration.Status]{&in.Status}, intScan[int64]{&in.ConsumerID}, timeScan{&in.CreatedAt},
		timeScan{&in.UpdatedAt}, intScan[integration.SetupType]{&in.SetupType}, stringScan{&in.IdentityLinkURL},
		boolScan{&in.AllResources}, nullResource{res})
}

// addResource adds the resource of one row to in, as integrations reads
// it back: res is noResource on a row without a rule, and All's own rule
// is not one of Resources.
func addResource(in *integration.Integration, res string) {
	if res != noResource && !(in.AllResources && res == resourceAll && len(in.Resources) == 0) {
		in.Resources = append(in.Resources, res)
	}
}

// integrations runs integrationSelect with the condition where and
// rebuilds the integrations, in the order of the rows.
func (t *tx) integrations(ctx context.Context, where string, args ...any) ([]integration.Integration, error) {
	rows, err := t.q.QueryContext(ctx, integrationSelect+" WHERE "+where+" ORDER BY i.integration_id, r.rule_id"+t.lock, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: integrations: %w", err)
	}
	defer rows.Close()
	var (
		out []integration.Integration
		cur integration.Integration
		res string
	)
	dest := integrationDest(nil, &cur, &res)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("sqlstore: integrations: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != cur.ID {
			out = append(out, cur)
		}
		if res != noResource {
			last := &out[len(out)-1]
			last.Resources = append(last.Resources, res)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: integrations: %w", err)
	}
	for i := range out {
		// All's own rule comes first; what follows is the list the caller
		// gave beside it (grantRules).
		if in := &out[i]; in.AllResources && len(in.Resources) > 0 && in.Resources[0] == resourceAll {
			in.Resources = in.Resources[1:]
			if len(in.Resources) == 0 {
				in.Resources = nil
			}
		}
	}
	return out, nil
}

// noResource marks a row without a rule.
const noResource = "\x00none"

// nullResource scans authorization_rule.resource_id; NULL (no rule) is
// noResource.
type nullResource struct{ p *string }

func (d nullResource) Scan(v any) error {
	if v == nil {
		*d.p = noResource
		return nil
	}
	return stringScan(d).Scan(v)
}

func (t *tx) integration(ctx context.Context, what, where string, arg any) (integration.Integration, error) {
	out, err := t.integrations(ctx, where, arg)
	if err != nil {
		return integration.Integration{}, err
	}
	if len(out) == 0 {
		return integration.Integration{}, fmt.Errorf("sqlstore: integration %s: %w", what, store.ErrNotFound)
	}
	return out[0], nil
}

func (t *tx) Integration(ctx context.Context, id int64) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	return t.integration(ctx, strconv.FormatInt(id, 10), "i.integration_id = ?", id)
}

func (t *tx) IntegrationByName(ctx context.Context, name string) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	return t.integration(ctx, "by name", "i.name = ?", name)
}

func (t *tx) IntegrationByConsumer(ctx context.Context, consumerID int64) (integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return integration.Integration{}, err
	}
	return t.integration(ctx, "of consumer "+strconv.FormatInt(consumerID, 10), "i.consumer_id = ?", consumerID)
}

func (t *tx) Integrations(ctx context.Context) ([]integration.Integration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return t.integrations(ctx, "1 = 1")
}

// checkConsumerRef reports a consumer id that cannot name a row, which the
// foreign key would otherwise reject with an out-of-range error in MySQL.
func checkConsumerRef(id int64) error {
	if id != 0 && !storable(id) {
		return fmt.Errorf("sqlstore: integration: consumer %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// CreateIntegration inserts the integration row, its ACL role and its
// allow rules.
func (t *tx) CreateIntegration(ctx context.Context, in *integration.Integration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkConsumerRef(in.ConsumerID); err != nil {
		return err
	}
	return t.multi(ctx, func(t *tx) error {
		res, err := t.q.ExecContext(ctx, `INSERT INTO integration (name, email, endpoint, status, consumer_id, created_at, updated_at, setup_type, identity_link_url, all_resources)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.Name, in.Email, dbString(in.Endpoint), int64(in.Status), dbID(in.ConsumerID), dbTime(in.CreatedAt),
			dbTime(in.UpdatedAt), int64(in.SetupType), dbString(in.IdentityLinkURL), dbBool(in.AllResources))
		if err != nil {
			return t.fail("create integration", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("sqlstore: create integration: id: %w", err)
		}
		role, err := t.createRole(ctx, id)
		if err != nil {
			return err
		}
		if err := t.insertRules(ctx, role, grantRules(*in)); err != nil {
			return err
		}
		in.ID = id
		return nil
	})
}

// createRole inserts the integration's user role as Magento's
// AuthorizationService does: type U under no parent, named "1"+id.
func (t *tx) createRole(ctx context.Context, id int64) (int64, error) {
	res, err := t.q.ExecContext(ctx, `INSERT INTO authorization_role (parent_id, tree_level, sort_order, role_type, user_id, user_type, role_name)
		VALUES (0, 1, 0, 'U', ?, '1', ?)`, id, roleUserType+strconv.FormatInt(id, 10))
	if err != nil {
		return 0, t.fail(fmt.Sprintf("integration %d: create role", id), err)
	}
	role, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: integration %d: role id: %w", id, err)
	}
	return role, nil
}

// grantRules are the allow rules that store in's grant: for All the rule
// Magento_Backend::all (Magento's single row) followed by Resources if the
// caller left any there (the Service never does), for Custom the list as
// given.
func grantRules(in integration.Integration) []string {
	if in.AllResources {
		return append([]string{resourceAll}, in.Resources...)
	}
	return in.Resources
}

// insertRules inserts one allow rule per resource, in order, so rule_id
// keeps the list's order.
func (t *tx) insertRules(ctx context.Context, role int64, resources []string) error {
	for chunk := range slices.Chunk(resources, ruleBatch) {
		var b strings.Builder
		b.WriteString("INSERT INTO authorization_rule (role_id, resource_id, privileges, permission) VALUES ")
		args := make([]any, 0, 2*len(chunk))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, '', 'allow')")
			args = append(args, role, r)
		}
		if _, err := t.q.ExecContext(ctx, b.String(), args...); err != nil {
			return t.fail(fmt.Sprintf("role %d: rules", role), err)
		}
	}
	return nil
}

// UpdateIntegration replaces the integration row and, when the grant
// changed, its rules.
func (t *tx) UpdateIntegration(ctx context.Context, in integration.Integration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkConsumerRef(in.ConsumerID); err != nil {
		return err
	}
	return t.multi(ctx, func(t *tx) error {
		res, err := t.q.ExecContext(ctx, `UPDATE integration SET name = ?, email = ?, endpoint = ?, status = ?, consumer_id = ?,
			created_at = ?, updated_at = ?, setup_type = ?, identity_link_url = ?, all_resources = ? WHERE integration_id = ?`,
			in.Name, in.Email, dbString(in.Endpoint), int64(in.Status), dbID(in.ConsumerID), dbTime(in.CreatedAt),
			dbTime(in.UpdatedAt), int64(in.SetupType), dbString(in.IdentityLinkURL), dbBool(in.AllResources), in.ID)
		if err != nil {
			return t.fail(fmt.Sprintf("update integration %d", in.ID), err)
		}
		n, err := rowsAffected(res)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("sqlstore: update integration %d: %w", in.ID, store.ErrNotFound)
		}
		return t.replaceRules(ctx, in.ID, grantRules(in))
	})
}

// replaceRules makes want the allow rules of integration id's role,
// creating the role if it is missing. One read decides; rules that are
// already right are not rewritten.
func (t *tx) replaceRules(ctx context.Context, id int64, want []string) error {
	rows, err := t.q.QueryContext(ctx, `SELECT ro.role_id, r.resource_id FROM authorization_role ro
		LEFT JOIN authorization_rule r ON r.role_id = ro.role_id AND r.permission = 'allow'
		WHERE ro.user_type = '1' AND ro.user_id = ? ORDER BY r.rule_id`+t.lock, id)
	if err != nil {
		return fmt.Errorf("sqlstore: integration %d: rules: %w", id, err)
	}
	var (
		role int64
		have []string
		res  string
	)
	for rows.Next() {
		if err := rows.Scan(intScan[int64]{&role}, nullResource{&res}); err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: integration %d: rules: %w", id, err)
		}
		if res != noResource {
			have = append(have, res)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("sqlstore: integration %d: rules: %w", id, err)
	}
	switch {
	case role == 0:
		if role, err = t.createRole(ctx, id); err != nil {
			return err
		}
	case slices.Equal(have, want):
		return nil
	default:
		if _, err := t.q.ExecContext(ctx, "DELETE FROM authorization_rule WHERE role_id = ?", role); err != nil {
			return fmt.Errorf("sqlstore: integration %d: delete rules: %w", id, err)
		}
	}
	return t.insertRules(ctx, role, want)
}

// DeleteIntegration deletes the integration row and its role; the rules go
// with the role (ON DELETE CASCADE). The consumer is not touched.
func (t *tx) DeleteIntegration(ctx context.Context, id int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return t.multi(ctx, func(t *tx) error {
		res, err := t.q.ExecContext(ctx, "DELETE FROM integration WHERE integration_id = ?", id)
		if err != nil {
			return fmt.Errorf("sqlstore: delete integration %d: %w", id, err)
		}
		n, err := rowsAffected(res)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("sqlstore: delete integration %d: %w", id, store.ErrNotFound)
		}
		if _, err := t.q.ExecContext(ctx, "DELETE FROM authorization_role WHERE user_type = '1' AND user_id = ?", id); err != nil {
			return fmt.Errorf("sqlstore: delete integration %d: role: %w", id, err)
		}
		return nil
	})
}

// --- Store ---

// CreateIntegration implements [integration.Writer]: the integration row,
// its ACL role and its allow rules, in one transaction.
func (s *Store) CreateIntegration(ctx context.Context, in *integration.Integration) error {
	return s.plain.CreateIntegration(ctx, in)
}

// UpdateIntegration implements [integration.Writer], in one transaction.
func (s *Store) UpdateIntegration(ctx context.Context, in integration.Integration) error {
	return s.plain.UpdateIntegration(ctx, in)
}

// DeleteIntegration implements [integration.Writer]: the integration row
// and its ACL role with its rules, in one transaction. The consumer is not
// touched.
func (s *Store) DeleteIntegration(ctx context.Context, id int64) error {
	return s.plain.DeleteIntegration(ctx, id)
}

// Integration implements [integration.Reader]: one SELECT.
func (s *Store) Integration(ctx context.Context, id int64) (integration.Integration, error) {
	return s.plain.Integration(ctx, id)
}

// IntegrationByName implements [integration.Reader]; the match is exact
// (case-sensitive) in both dialects.
func (s *Store) IntegrationByName(ctx context.Context, name string) (integration.Integration, error) {
	return s.plain.IntegrationByName(ctx, name)
}

// IntegrationByConsumer implements [integration.Reader].
func (s *Store) IntegrationByConsumer(ctx context.Context, consumerID int64) (integration.Integration, error) {
	return s.plain.IntegrationByConsumer(ctx, consumerID)
}

// Integrations implements [integration.Reader]: one SELECT.
func (s *Store) Integrations(ctx context.Context) ([]integration.Integration, error) {
	return s.plain.Integrations(ctx)
}
