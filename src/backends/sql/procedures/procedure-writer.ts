import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ProcedureOperation, ProcedureSpec } from '../../../mapping/compiled-mapping.js';
import { scimErrors } from '../../../scim/errors.js';
import { etagMatches } from '../../../scim/etag.js';
import { applyPatch } from '../../../scim/patch/apply-patch.js';
import type { PatchOperation } from '../../../scim/patch/operation.js';
import type { ScimResource } from '../../../scim/schema/model.js';
import type { WriteCondition } from '../../resource-store.js';
import type { SqlDialect } from '../dialects/sql-dialect.js';
import { valueFilterToSql } from '../filter-to-sql.js';
import { fitsId } from '../id-type.js';
import { type MemberDelta, type MemberValue, parseMemberValues, splitPatch } from '../member-delta.js';
import { columnsFromResource, referencesFromResource, versionOf } from '../resource-codec.js';
import type { ResourceReader } from '../resource-reader.js';
import type { JoinTableAttribute, SqlLayouts, SqlResourceLayout } from '../sql-resource-layout.js';
import { buildProcedureCall, type CallSources } from './procedure-arguments.js';
import type { WriteSession, WriteSessions } from './write-session.js';

/** Bound parameters per IN list, as in the table path. */
const IN_CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) result.push(items.slice(i, i + IN_CHUNK));
  return result;
}

/** How ids of a layout compare: UUIDs regardless of case. */
function idKey(layout: SqlResourceLayout, id: string): string {
  return layout.idType === 'uuid' ? id.toLowerCase() : id;
}

/** A member to add, with the resource type it turned out to be. */
interface KnownMember {
  readonly id: string;
  readonly type: string;
}

/**
 * Writes of resource types whose mapping names stored procedures: each
 * write is one transaction of procedure calls — create/update/delete once,
 * addMember/removeMember once per member that changes (never a rewrite of
 * the list). The gateway still does what it must know before calling: the
 * If-Match check against the version column (row locked), and that every
 * referenced id exists (400 naming the value). Queries are built with the
 * store's knex and run inside the session's transaction.
 */
export class ProcedureWriter {
  constructor(
    private readonly db: Knex,
    private readonly dialect: SqlDialect,
    private readonly layouts: SqlLayouts,
    private readonly sessions: WriteSessions,
    private readonly readerOf: (layout: SqlResourceLayout) => ResourceReader,
  ) {}

  private spec(layout: SqlResourceLayout, operation: ProcedureOperation): ProcedureSpec {
    const spec = layout.procedures?.[operation];
    if (spec === undefined) {
      // The compiler requires every needed procedure; a hand-built mapping may lack one.
      throw new Error(`${layout.name} has no ${operation} procedure in its mapping`);
    }
    return spec;
  }

  private call(
    session: WriteSession,
    layout: SqlResourceLayout,
    operation: ProcedureOperation,
    sources: CallSources,
  ) {
    return session.call(buildProcedureCall(this.dialect, layout, this.spec(layout, operation), sources));
  }

  /** The resource type's rows: its table, limited to the mapping's constants. */
  private rowsOf(layout: SqlResourceLayout): Knex.QueryBuilder {
    const query = this.db(layout.table);
    for (const [column, value] of Object.entries(layout.constants))
      query.where(layout.qualified(column), value);
    return query;
  }

  /** Locks the row and checks If-Match; 404 when absent, 412 when stale. The stored version value. */
  private async lock(
    session: WriteSession,
    layout: SqlResourceLayout,
    id: string,
    condition: WriteCondition | undefined,
  ): Promise<unknown> {
    const notFound = () => scimErrors.notFound(`${layout.name} ${id} not found`);
    if (!fitsId(layout.idType, id)) throw notFound();
    const columns =
      layout.version === undefined ? [layout.idColumn] : [layout.idColumn, layout.version.column];
    const query = this.dialect.lockForUpdate(
      this.rowsOf(layout).select(columns).where(layout.qualified(layout.idColumn), id),
    );
    const row = (await session.rows(query))[0];
    if (row === undefined) throw notFound();
    const ifMatch = condition?.ifMatch;
    if (ifMatch !== undefined) {
      const version = versionOf(layout, row);
      const matches = version === undefined ? ifMatch.trim() === '*' : etagMatches(ifMatch, version);
      if (!matches)
        throw scimErrors.preconditionFailed(`${layout.name} ${id} has changed (If-Match does not match)`);
    }
    return layout.version === undefined ? undefined : row[layout.version.column];
  }

  /** Which of `ids` exist among `targets`, with their resource type. */
  private async existing(
    session: WriteSession,
    targets: readonly string[],
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const target of targets) {
      const layout = this.layouts.find(target);
      if (layout === undefined) continue;
      const candidates = ids.filter((id) => !found.has(id) && fitsId(layout.idType, id));
      for (const part of chunks(candidates)) {
        const query = this.rowsOf(layout)
          .select(layout.idColumn)
          .whereIn(layout.qualified(layout.idColumn), part);
        const rows = await session.rows(query);
        // SQL Server hands back UNIQUEIDENTIFIERs in upper case: match UUIDs by value, keep the spelling asked for.
        const stored = new Set(rows.map((row) => idKey(layout, String(row[layout.idColumn]))));
        for (const id of part) if (stored.has(idKey(layout, id))) found.set(id, layout.name);
      }
    }
    return found;
  }

  /** The members named, each with its type; 400 naming the first that does not exist. */
  private async knownMembers(
    session: WriteSession,
    attribute: JoinTableAttribute,
    ids: readonly string[],
  ): Promise<KnownMember[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const targets = attribute.ref ?? this.layouts.names;
    const found = await this.existing(session, targets, unique);
    const unknown = unique.find((id) => !found.has(id));
    if (unknown !== undefined) {
      throw scimErrors.invalidValue(
        `'${attribute.scim.attribute}' value '${unknown}' is not an existing ${targets.join(' or ')}`,
      );
    }
    return unique.map((id) => ({ id, type: found.get(id) ?? '' }));
  }

  /** A scalar reference (`manager`) must name an existing resource: 400 naming the value otherwise. */
  private async checkScalarReferences(
    session: WriteSession,
    layout: SqlResourceLayout,
    resource: ScimResource,
  ): Promise<void> {
    const columns = columnsFromResource(this.dialect, layout, resource);
    for (const entry of layout.scalars) {
      const value = columns[entry.target];
      if (entry.readOnly || entry.ref === undefined || value === null || value === undefined) continue;
      const found = await this.existing(session, entry.ref, [String(value)]);
      if (!found.has(String(value))) {
        throw scimErrors.invalidValue(
          `'${entry.scim.attribute}' refers to '${String(value)}', which is not an existing ${entry.ref.join(' or ')}`,
        );
      }
    }
  }

  private writableJoinTables(layout: SqlResourceLayout): JoinTableAttribute[] {
    return layout.joinTables.filter((entry) => !entry.readOnly);
  }

  /** Member ids of the resource in one join table, optionally only those matching a condition. */
  private async currentMembers(
    session: WriteSession,
    attribute: JoinTableAttribute,
    id: string,
    narrow?: (query: Knex.QueryBuilder) => void,
  ): Promise<string[]> {
    const { table, ownerColumn, valueColumn } = attribute.joinTable;
    const query = this.db(table).select(valueColumn).where(ownerColumn, id);
    narrow?.(query);
    return (await session.rows(query)).map((row) => String(row[valueColumn]));
  }

  private async addMembers(
    session: WriteSession,
    layout: SqlResourceLayout,
    id: string,
    members: readonly KnownMember[],
  ): Promise<void> {
    for (const member of members) {
      await this.call(session, layout, 'addMember', { id, memberId: member.id, memberType: member.type });
    }
  }

  private async removeMembers(
    session: WriteSession,
    layout: SqlResourceLayout,
    id: string,
    memberIds: readonly string[],
  ): Promise<void> {
    for (const memberId of memberIds) await this.call(session, layout, 'removeMember', { id, memberId });
  }

  /** Makes the members of one join table exactly `values`: removes and adds only the difference. */
  private async setMembers(
    session: WriteSession,
    layout: SqlResourceLayout,
    attribute: JoinTableAttribute,
    id: string,
    values: readonly MemberValue[],
  ): Promise<void> {
    const wanted = await this.knownMembers(
      session,
      attribute,
      values.map((member) => member.value),
    );
    const current = new Set(await this.currentMembers(session, attribute, id));
    const wantedIds = new Set(wanted.map((member) => member.id));
    await this.removeMembers(
      session,
      layout,
      id,
      [...current].filter((member) => !wantedIds.has(member)),
    );
    await this.addMembers(
      session,
      layout,
      id,
      wanted.filter((member) => !current.has(member.id)),
    );
  }

  /** Creates the resource; its id. */
  async create(layout: SqlResourceLayout, resource: ScimResource): Promise<string> {
    return this.sessions.transaction(async (session) => {
      await this.checkScalarReferences(session, layout, resource);
      const members = new Map<JoinTableAttribute, KnownMember[]>();
      for (const attribute of this.writableJoinTables(layout)) {
        const values = parseMemberValues(
          referencesFromResource(layout, attribute, resource),
          attribute.scim.attribute,
        );
        members.set(
          attribute,
          await this.knownMembers(
            session,
            attribute,
            values.map((member) => member.value),
          ),
        );
      }
      const spec = this.spec(layout, 'create');
      const passesId = Object.values(spec.parameters).some((parameter) => parameter.from === '$id');
      const generated = passesId && layout.generate === 'uuid' ? randomUUID() : undefined;
      const result = await this.call(session, layout, 'create', {
        ...(generated === undefined ? {} : { id: generated }),
        resource,
      });
      let id: string | undefined = generated;
      const returns = spec.returns;
      if (returns !== undefined) {
        const key = 'column' in returns ? returns.column : returns.output;
        const value = result?.[key] ?? result?.[key.toLowerCase()];
        if (value !== undefined && value !== null) id = String(value);
      }
      if (id === undefined) {
        throw new Error(`${spec.name} handed back no id (mapping: procedures.create.returns)`);
      }
      for (const known of members.values()) await this.addMembers(session, layout, id, known);
      return id;
    });
  }

  async replace(
    layout: SqlResourceLayout,
    id: string,
    resource: ScimResource,
    condition: WriteCondition | undefined,
  ): Promise<void> {
    await this.sessions.transaction(async (session) => {
      const version = await this.lock(session, layout, id, condition);
      await this.checkScalarReferences(session, layout, resource);
      await this.call(session, layout, 'update', { id, version, resource });
      for (const attribute of this.writableJoinTables(layout)) {
        const values = parseMemberValues(
          referencesFromResource(layout, attribute, resource),
          attribute.scim.attribute,
        );
        await this.setMembers(session, layout, attribute, id, values);
      }
    });
  }

  /** The resource without its reference lists, read inside the transaction (for applyPatch): one statement. */
  private async readForPatch(
    session: WriteSession,
    layout: SqlResourceLayout,
    id: string,
  ): Promise<ScimResource> {
    const reader = this.readerOf(layout);
    const shape = reader.shape({}, false);
    const rows = await session.rows(
      reader.select(this.db, shape).where(layout.qualified(layout.idColumn), id),
    );
    const [resource] = await reader.resources(this.db, shape, rows.slice(0, 1), (query) =>
      session.rows(query),
    );
    if (resource === undefined) throw scimErrors.notFound(`${layout.name} ${id} not found`);
    return resource;
  }

  async modify(
    layout: SqlResourceLayout,
    id: string,
    operations: readonly PatchOperation[],
    condition: WriteCondition | undefined,
  ): Promise<void> {
    const { deltas, others } = splitPatch(layout, operations);
    await this.sessions.transaction(async (session) => {
      const version = await this.lock(session, layout, id, condition);
      if (others.length > 0) {
        const current = await this.readForPatch(session, layout, id);
        const patched = applyPatch(layout.schema, current, others);
        await this.checkScalarReferences(session, layout, patched);
        await this.call(session, layout, 'update', { id, version, resource: patched });
      }
      for (const delta of deltas) await this.applyDelta(session, layout, id, delta);
    });
  }

  /** One PATCH operation on members: one procedure call per member that changes. */
  private async applyDelta(
    session: WriteSession,
    layout: SqlResourceLayout,
    id: string,
    delta: MemberDelta,
  ): Promise<void> {
    const attribute = delta.attribute;
    const { valueColumn } = attribute.joinTable;
    switch (delta.kind) {
      case 'add': {
        const ids = [...new Set(delta.ids)];
        const present = new Set<string>();
        for (const part of chunks(ids)) {
          const found = await this.currentMembers(session, attribute, id, (query) => {
            query.whereIn(valueColumn, part);
          });
          for (const member of found) present.add(member);
        }
        const fresh = await this.knownMembers(
          session,
          attribute,
          ids.filter((member) => !present.has(member)),
        );
        await this.addMembers(session, layout, id, fresh);
        return;
      }
      case 'replace':
        await this.setMembers(session, layout, attribute, id, delta.values);
        return;
      case 'remove': {
        const present: string[] = [];
        for (const part of chunks([...new Set(delta.ids)])) {
          present.push(
            ...(await this.currentMembers(session, attribute, id, (query) => {
              query.whereIn(valueColumn, part);
            })),
          );
        }
        await this.removeMembers(session, layout, id, present);
        return;
      }
      case 'removeWhere': {
        const condition = valueFilterToSql(layout, this.dialect, attribute.scim, delta.filter);
        const matching = await this.currentMembers(session, attribute, id, (query) => {
          query.whereRaw(condition.sql, [...condition.bindings] as Knex.RawBinding[]);
        });
        await this.removeMembers(session, layout, id, matching);
        return;
      }
      case 'removeAll':
        await this.removeMembers(session, layout, id, await this.currentMembers(session, attribute, id));
        return;
    }
  }

  async delete(layout: SqlResourceLayout, id: string, condition: WriteCondition | undefined): Promise<void> {
    await this.sessions.transaction(async (session) => {
      const version = await this.lock(session, layout, id, condition);
      await this.call(session, layout, 'delete', { id, version });
    });
  }

  close(): Promise<void> {
    return this.sessions.close();
  }
}
