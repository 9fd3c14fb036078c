import {
  AndFilter,
  Attribute,
  Change,
  type Client,
  type Control,
  type Entry,
  EqualityFilter,
  type Filter,
  OrFilter,
  ResultCodeError,
  ServerSideSortingRequestControl,
} from 'ldapts';
import type { CompiledMapping, ScalarAttribute } from '../../mapping/compiled-mapping.js';
import { scimErrors } from '../../scim/errors.js';
import { etagMatches } from '../../scim/etag.js';
import type { Filter as ScimFilter } from '../../scim/filter/ast.js';
import { matchesFilter } from '../../scim/filter/evaluate-filter.js';
import { applyPatch } from '../../scim/patch/apply-patch.js';
import type { PatchOperation } from '../../scim/patch/operation.js';
import { isAttributeRequested } from '../../scim/projection.js';
import type { ScimResource } from '../../scim/schema/model.js';
import { type DeleteReceipt, deletedReceipt, withBackendObject } from '../backend-object.js';
import type {
  AttributeSelection,
  PoolStats,
  ResourceStore,
  SearchQuery,
  SearchResult,
  SortSpec,
  WriteCondition,
} from '../resource-store.js';
import {
  checkSamAccountName,
  disabledUserAccountControl,
  isUnicodePwd,
  mergeUserAccountControl,
  unicodePwd,
} from './ad-rules.js';
import { AssertionControl } from './assertion-control.js';
import { type DirectoryProfile, directoryProfile } from './directory-profile.js';
import { escapeDnValue, firstRdn, isUnderNormalized, normalizeDn, parentDn } from './dn-text.js';
import {
  type DnIndex,
  ldapValuesFor,
  type ReferenceTarget,
  referencedDns,
  resourceFromEntry,
  scimScalarValue,
} from './entry-codec.js';
import { isValueAbsent, isValueExists, mapLdapError } from './error-mapping.js';
import { filterToLdap, referenceIdsInFilter } from './filter-to-ldap.js';
import { decodeCursor, encodeCursor, querySignature } from './ldap-cursor.js';
import { LdapPool } from './ldap-pool.js';
import { type DnListAttribute, type LdapLayout, LdapLayouts } from './ldap-resource-layout.js';
import { firstString, type LdapValue, valuesOf } from './ldap-values.js';
import { idsOfValueFilter, type MemberDelta, splitPatch } from './member-delta.js';
import { MemberWriteCoalescer } from './member-write-coalescer.js';
import { PermissiveModifyControl } from './permissive-modify-control.js';
import { completeRangedValues, rangedName } from './ranged-values.js';
import { idFilter, idFromLdap } from './resource-id.js';
import { SharedDnLookups, type WantedDns } from './shared-dn-lookups.js';
import { VlvRequestControl, VlvResponseCapture } from './vlv-control.js';

/** The SCIM password (writeOnly, returned never): written, never read back. */
function isPassword(entry: ScalarAttribute): boolean {
  return entry.scim.attribute.toLowerCase() === 'password' || isUnicodePwd(entry.target);
}

/** Values per OR filter when resolving ids ↔ DNs in batches. */
const BATCH = 100;
/** LDAP result code virtualListViewError (offset beyond the end). */
const VLV_ERROR = 76;
/** LDAP result code assertionFailed (RFC 4528). */
const ASSERTION_FAILED = 122;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

const and = (filters: Filter[]): Filter => new AndFilter({ filters });

function sameValues(a: readonly LdapValue[], b: readonly LdapValue[]): boolean {
  const key = (values: readonly LdapValue[]) =>
    values
      .map((value) => (typeof value === 'string' ? `s:${value}` : `b:${value.toString('hex')}`))
      .sort()
      .join('\n');
  return key(a) === key(b);
}

function change(operation: 'add' | 'delete' | 'replace', type: string, values: LdapValue[]): Change {
  const modification = values.every((value) => typeof value === 'string')
    ? new Attribute({ type, values: values as string[] })
    : new Attribute({
        type,
        values: values.map((value) => (typeof value === 'string' ? Buffer.from(value) : value)),
      });
  return new Change({ operation, modification });
}

interface SortKey {
  readonly attributeType: string;
  readonly orderingRule?: string;
  readonly reverseOrder: boolean;
}

/**
 * The ResourceStore over LDAP directories (OpenLDAP, Active Directory) with
 * ldapts. A SCIM filter becomes one LDAP filter, a page one search with
 * server-side sort + VLV, member changes single value-level modifies.
 */
export class LdapStore implements ResourceStore {
  readonly resourceTypes: readonly string[];
  private readonly layouts: LdapLayouts;
  readonly profile: DirectoryProfile;
  private readonly readAttributes = new Map<string, string[]>();
  /** Concurrent unconditional member changes of one group merged into one modify (see the class). */
  private readonly memberWrites = new MemberWriteCoalescer();
  /** Concurrent reads share in-flight DN → id lookups (see the class). */
  private readonly dnLookups = new SharedDnLookups();

  constructor(
    mapping: CompiledMapping,
    private readonly pool: LdapPool,
  ) {
    if (mapping.backend.type !== 'ldap') throw new Error(`Mapping ${mapping.source} is not an LDAP mapping`);
    this.profile = directoryProfile(mapping.backend.directory);
    this.layouts = new LdapLayouts(mapping);
    this.resourceTypes = this.layouts.names;
  }

  supportsCursor(resourceType: string): boolean {
    return this.profile.vlv && this.layouts.find(resourceType) !== undefined;
  }

  private async guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ResultCodeError && err.code === ASSERTION_FAILED) {
        throw scimErrors.preconditionFailed(`${what} has changed (If-Match does not match)`);
      }
      throw mapLdapError(err, what);
    }
  }

  // --------------------------------------------------------------- naming

  private listsRequested(layout: LdapLayout, selection: AttributeSelection | undefined): DnListAttribute[] {
    return layout.references.filter((list) =>
      isAttributeRequested(layout.schema, selection ?? {}, list.scim),
    );
  }

  /**
   * The attributes a read requests, per resource type and set of lists read:
   * the same few combinations for every request, so each is built once (the
   * arrays are shared: nothing may change them; ldapts only reads them).
   */
  private attributesToRead(layout: LdapLayout, lists: readonly DnListAttribute[]): string[] {
    const key = `${layout.name}\n${lists.map((list) => list.ldapAttribute).join('\n')}`;
    let names = this.readAttributes.get(key);
    if (names === undefined) {
      names = this.buildAttributesToRead(layout, lists);
      this.readAttributes.set(key, names);
    }
    return names;
  }

  private buildAttributesToRead(layout: LdapLayout, lists: readonly DnListAttribute[]): string[] {
    const { profile } = this;
    const names = [
      layout.spec.idAttribute,
      profile.versionAttribute,
      profile.createdAttribute,
      profile.modifiedAttribute,
      // Not objectClass: nothing reads it back, and every entry has several values of it.
      ...layout.scalars.filter((entry) => !isPassword(entry)).map((entry) => entry.target),
      ...lists.map((list) => this.listAttributeToRead(list)),
    ];
    return [...new Set(names)];
  }

  /** `member`, or on AD its first range (`member;range=0-1499`); completeRanges() fetches the rest. */
  private listAttributeToRead(list: DnListAttribute): string {
    const size = this.profile.valueRangeSize;
    return size === undefined ? list.ldapAttribute : rangedName(list.ldapAttribute, 0, size);
  }

  /** AD range retrieval: every value of the lists read, under their plain names. */
  private async completeRanges(
    client: Client,
    entries: readonly Entry[],
    lists: readonly DnListAttribute[],
  ): Promise<void> {
    const size = this.profile.valueRangeSize;
    if (size === undefined) return;
    for (const list of lists) await completeRangedValues(client, entries, list.ldapAttribute, size);
  }

  private searchOptions(layout: LdapLayout, filter: Filter, attributes: string[]) {
    return {
      scope: layout.spec.scope,
      filter,
      attributes,
      ...(this.profile.binaryId ? { explicitBufferAttributes: [layout.spec.idAttribute] } : {}),
    };
  }

  /** The entry of a resource by id, or 404. */
  private async entryById(
    client: Client,
    layout: LdapLayout,
    id: string,
    attributes: string[],
  ): Promise<Entry> {
    const filter = and([layout.typeFilter, idFilter(this.profile, layout.spec.idAttribute, id)]);
    const { searchEntries } = await client.search(layout.spec.base, {
      ...this.searchOptions(layout, filter, attributes),
      sizeLimit: 2,
    });
    const entry = searchEntries[0];
    if (entry === undefined) throw scimErrors.notFound(`${layout.name} ${id} not found`);
    return entry;
  }

  private async entryByDn(
    client: Client,
    layout: LdapLayout,
    dn: string,
    attributes: string[],
  ): Promise<Entry> {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      attributes,
      ...(this.profile.binaryId ? { explicitBufferAttributes: [layout.spec.idAttribute] } : {}),
    });
    const entry = searchEntries[0];
    if (entry === undefined) throw scimErrors.notFound(`${layout.name} not found`);
    return entry;
  }

  /**
   * DNs → referenced resources, keyed by normalised DN. A read passes the
   * moment it began and may share lookups in flight with concurrent reads
   * (shared-dn-lookups.ts); writes resolve on their own.
   */
  private resolveDns(client: Client, dns: readonly string[], readStartedAt?: number): Promise<DnIndex> {
    if (readStartedAt !== undefined) {
      // A read that joins another's lookup waits holding its own connection, as it would for its own
      // search; the lookup it waits for runs on the sending read's connection, so it never waits for one.
      return this.dnLookups.resolve(dns, readStartedAt, (wanted) => this.lookupDns(client, wanted));
    }
    // Each DN normalised once: the key it is found under, and whose base it lies in.
    const wanted = new Map<string, string>();
    for (const dn of dns) {
      const key = normalizeDn(dn);
      if (!wanted.has(key)) wanted.set(key, dn);
    }
    return this.lookupDns(client, wanted);
  }

  /** One batch of DNs → referenced resources, per resource type (one search per 100 DNs). */
  private async lookupDns(client: Client, wanted: WantedDns): Promise<Map<string, ReferenceTarget>> {
    const found = new Map<string, ReferenceTarget>();
    for (const layout of this.layouts.all) {
      const mine: string[] = [];
      for (const [key, dn] of wanted) {
        if (!found.has(key) && isUnderNormalized(key, layout.baseKey)) mine.push(dn);
      }
      if (mine.length === 0) continue;
      const attributes = [layout.spec.idAttribute];
      const record = (entry: Entry) => {
        const id = idFromLdap(this.profile, valuesOf(entry, layout.spec.idAttribute)[0]);
        if (id !== undefined) found.set(normalizeDn(entry.dn), { id, type: layout.name, dn: entry.dn });
      };
      const dnAttribute = this.profile.dnAttribute;
      if (dnAttribute !== undefined) {
        for (const part of chunks(mine)) {
          const byDn = new OrFilter({
            filters: part.map((dn) => new EqualityFilter({ attribute: dnAttribute, value: dn })),
          });
          const { searchEntries } = await client.search(
            layout.spec.base,
            this.searchOptions(layout, and([layout.typeFilter, byDn]), attributes),
          );
          searchEntries.forEach(record);
        }
      } else {
        for (const dn of mine) {
          const { searchEntries } = await client
            .search(dn, {
              scope: 'base',
              filter: layout.typeFilter,
              attributes,
              ...(this.profile.binaryId ? { explicitBufferAttributes: attributes } : {}),
            })
            .catch(() => ({ searchEntries: [] as Entry[] }));
          searchEntries.forEach(record);
        }
      }
    }
    return found;
  }

  /** SCIM ids → DNs among the given resource types, in batches. Keys are lower-cased ids. */
  private async resolveIds(
    client: Client,
    ids: readonly string[],
    types: readonly string[],
  ): Promise<Map<string, ReferenceTarget>> {
    const found = new Map<string, ReferenceTarget>();
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    for (const type of types) {
      const layout = this.layouts.find(type);
      if (layout === undefined) continue;
      const missing = unique.filter((id) => !found.has(id));
      for (const part of chunks(missing)) {
        const byId = new OrFilter({
          filters: part.map((id) => idFilter(this.profile, layout.spec.idAttribute, id)),
        });
        const { searchEntries } = await client.search(
          layout.spec.base,
          this.searchOptions(layout, and([layout.typeFilter, byId]), [layout.spec.idAttribute]),
        );
        for (const entry of searchEntries) {
          const id = idFromLdap(this.profile, valuesOf(entry, layout.spec.idAttribute)[0]);
          if (id !== undefined) found.set(id, { id, type: layout.name, dn: entry.dn });
        }
      }
    }
    return found;
  }

  /** Entries → resources; `readStartedAt` (performance.now()) for reads, which may share DN lookups. */
  private async toResources(
    client: Client,
    layout: LdapLayout,
    entries: readonly Entry[],
    lists: readonly DnListAttribute[],
    readStartedAt?: number,
  ): Promise<ScimResource[]> {
    await this.completeRanges(client, entries, lists);
    const dns = entries.flatMap((entry) => referencedDns(layout, entry, lists));
    const index: DnIndex = dns.length === 0 ? new Map() : await this.resolveDns(client, dns, readStartedAt);
    return entries.map((entry) => resourceFromEntry(layout, this.profile, entry, index, lists));
  }

  // ---------------------------------------------------------------- reads

  /** The LDAP filter of a search; a connection only when ids in it must become DNs (members.value eq …). */
  private async ldapFilter(layout: LdapLayout, filter: ScimFilter | undefined): Promise<Filter> {
    if (filter === undefined) return layout.typeFilter;
    const ids = referenceIdsInFilter(layout, filter);
    const references =
      ids.length === 0
        ? new Map<string, ReferenceTarget>()
        : await this.pool.use((client) => this.resolveIds(client, ids, this.layouts.names));
    return and([layout.typeFilter, filterToLdap({ layout, profile: this.profile, references }, filter)]);
  }

  private sortKey(layout: LdapLayout, sort: SortSpec | undefined): SortKey {
    const reverseOrder = sort?.order === 'descending';
    const idKey: SortKey = { attributeType: layout.spec.idAttribute, reverseOrder };
    if (sort === undefined) return idKey;
    const resolved = layout.schema.resolve(sort.path);
    if (resolved === undefined)
      throw scimErrors.invalidValue(`Cannot sort by unknown attribute '${sort.path.attribute}'`);
    const name = resolved.attribute.name;
    if (name === 'id') return idKey;
    if (name === 'meta') {
      const sub = resolved.subAttribute?.name;
      if (sub === 'created') return { attributeType: this.profile.createdAttribute, reverseOrder };
      if (sub === 'lastModified') return { attributeType: this.profile.modifiedAttribute, reverseOrder };
    }
    const sub = resolved.subAttribute?.name ?? (resolved.attribute.type === 'complex' ? 'value' : undefined);
    const entry = layout.scalars.find(
      (candidate) =>
        candidate.scim.schema === resolved.schema &&
        candidate.scim.attribute === name &&
        candidate.scim.subAttribute?.toLowerCase() === sub?.toLowerCase(),
    );
    if (entry === undefined)
      throw scimErrors.invalidValue(`Cannot sort by '${name}': it is not mapped to the directory`);
    const type = layout.definitionOf(entry).value.type;
    const rule = type === 'string' ? this.profile.stringOrderingRule : undefined;
    return {
      attributeType: entry.target,
      reverseOrder,
      ...(rule === undefined ? {} : { orderingRule: rule }),
    };
  }

  /** One VLV window: entries from `offset` (1-based), and the directory's count of all matches. */
  private async vlvWindow(
    layout: LdapLayout,
    filter: Filter,
    sort: SortKey,
    offset: number,
    count: number,
    attributes: string[],
  ): Promise<{ entries: Entry[]; total: number; client?: Client }> {
    return this.pool.use(
      async (client) => {
        const run = async (at: number, after: number) => {
          const response = new VlvResponseCapture();
          const controls: Control[] = [
            new ServerSideSortingRequestControl({ value: sort }),
            new VlvRequestControl(at, after),
            response,
          ];
          const { searchEntries } = await client.search(
            layout.spec.base,
            this.searchOptions(layout, filter, attributes),
            controls,
          );
          return { searchEntries, response };
        };
        try {
          const { searchEntries, response } = await run(offset, Math.max(0, count - 1));
          const total = response.contentCount ?? searchEntries.length;
          // Past the end a directory may answer with the last entry: only the window asked for counts.
          const start = response.targetPosition ?? offset;
          const entries = offset > total || start !== offset ? [] : searchEntries.slice(0, count);
          return { entries, total };
        } catch (err) {
          if (!(err instanceof ResultCodeError) || err.code !== VLV_ERROR || offset === 1) throw err;
        }
        // Offset beyond the end: ask for the count alone on a fresh session.
        return { entries: [], total: -1 };
      },
      { discardAfter: this.profile.vlvPinsConnection },
    );
  }

  private async vlvSearch(
    layout: LdapLayout,
    filter: Filter,
    sort: SortKey,
    offset: number,
    count: number,
    attributes: string[],
  ) {
    const page = await this.vlvWindow(layout, filter, sort, offset, count, attributes);
    if (page.total >= 0) return page;
    const counted = await this.vlvWindow(layout, filter, sort, 1, 1, [layout.spec.idAttribute]);
    return { entries: [], total: counted.total };
  }

  async search(resourceType: string, query: SearchQuery): Promise<SearchResult> {
    // Before the read's first search: it may share DN lookups sent from now on (shared-dn-lookups.ts).
    const startedAt = performance.now();
    const layout = this.layouts.get(resourceType);
    return this.guard(layout.name, async () => {
      const filter = await this.ldapFilter(layout, query.filter);
      const lists = this.listsRequested(layout, query);
      const attributes = this.attributesToRead(layout, lists);
      const sort = this.sortKey(layout, query.sort);
      if (!this.profile.vlv)
        return this.searchWithoutVlv(layout, filter, sort, query, attributes, lists, startedAt);
      const signature = query.cursor === undefined ? undefined : querySignature(query.sort, query.filter);
      let offset = Math.max(1, query.startIndex);
      if (signature !== undefined && query.cursor !== undefined && query.cursor !== '') {
        offset = decodeCursor(query.cursor, signature);
      }
      const count = Math.max(0, query.count);
      if (offset === 1 && count > 0) {
        const lookup = await this.lookupSearch(layout, filter, attributes, lists, startedAt);
        if (lookup !== undefined) return lookup;
      }
      const page = await this.vlvSearch(
        layout,
        filter,
        sort,
        offset,
        Math.max(1, count),
        count === 0 ? [layout.spec.idAttribute] : attributes,
      );
      if (count === 0) return { totalResults: page.total, resources: [] };
      const resources = await this.pool.use((client) =>
        this.toResources(client, layout, page.entries, lists, startedAt),
      );
      const next = offset + page.entries.length;
      const nextCursor =
        signature !== undefined && page.entries.length > 0 && next <= page.total
          ? encodeCursor(signature, next)
          : undefined;
      return { totalResults: page.total, resources, ...(nextCursor === undefined ? {} : { nextCursor }) };
    });
  }

  /**
   * The first page of a search that matches one entry or none (`userName eq …`,
   * `externalId eq …`, a group by displayName): one plain search with a size
   * limit of 2 answers it, with no sort and no VLV. That matters on OpenLDAP,
   * where a VLV search costs the connection it ran on (see vlvPinsConnection).
   * Undefined when there are more matches: the caller pages with VLV.
   */
  private async lookupSearch(
    layout: LdapLayout,
    filter: Filter,
    attributes: string[],
    lists: DnListAttribute[],
    startedAt: number,
  ): Promise<SearchResult | undefined> {
    return this.pool.use(async (client) => {
      // A size limit of 2 is below any server's own limit, so "1 entry" really means one.
      const { searchEntries } = await client.search(layout.spec.base, {
        ...this.searchOptions(layout, filter, attributes),
        sizeLimit: 2,
      });
      if (searchEntries.length > 1) return undefined;
      const resources = await this.toResources(client, layout, searchEntries, lists, startedAt);
      return { totalResults: resources.length, resources };
    });
  }

  /**
   * Directories without VLV (generic): one paged search of the matches,
   * sorted here. Documented in docs/ldap.md as the fallback it is.
   */
  private async searchWithoutVlv(
    layout: LdapLayout,
    filter: Filter,
    sort: SortKey,
    query: SearchQuery,
    attributes: string[],
    lists: DnListAttribute[],
    startedAt: number,
  ): Promise<SearchResult> {
    return this.pool.use(async (client) => {
      const { searchEntries } = await client.search(layout.spec.base, {
        ...this.searchOptions(layout, filter, [...new Set([...attributes, sort.attributeType])]),
        paged: { pageSize: 500 },
      });
      const keyOf = (entry: Entry) => firstString(entry, sort.attributeType)?.toLowerCase();
      searchEntries.sort((a, b) => {
        const x = keyOf(a);
        const y = keyOf(b);
        if (x === y) return 0;
        if (x === undefined) return 1;
        if (y === undefined) return -1;
        return (x < y ? -1 : 1) * (sort.reverseOrder ? -1 : 1);
      });
      const total = searchEntries.length;
      const signature = query.cursor === undefined ? undefined : querySignature(query.sort, query.filter);
      let offset = Math.max(1, query.startIndex);
      if (signature !== undefined && query.cursor !== undefined && query.cursor !== '')
        offset = decodeCursor(query.cursor, signature);
      const window = searchEntries.slice(offset - 1, offset - 1 + Math.max(0, query.count));
      const resources = await this.toResources(client, layout, window, lists, startedAt);
      const next = offset + window.length;
      const nextCursor =
        signature !== undefined && window.length > 0 && next <= total
          ? encodeCursor(signature, next)
          : undefined;
      return { totalResults: total, resources, ...(nextCursor === undefined ? {} : { nextCursor }) };
    });
  }

  explain(resourceType: string, query: SearchQuery): string {
    const layout = this.layouts.get(resourceType);
    const typeOnly = query.filter === undefined;
    let text = layout.typeFilter.toString();
    if (!typeOnly && query.filter !== undefined) {
      const ids = referenceIdsInFilter(layout, query.filter);
      const references = new Map<string, ReferenceTarget>(
        ids.map((id) => [id.toLowerCase(), { id, type: '', dn: `<DN of ${id}>` }]),
      );
      text = and([
        layout.typeFilter,
        filterToLdap({ layout, profile: this.profile, references }, query.filter),
      ]).toString();
    }
    const sort = this.sortKey(layout, query.sort);
    const paging = this.profile.vlv
      ? `server-side sort ${sort.attributeType}${sort.orderingRule === undefined ? '' : `:${sort.orderingRule}`}${sort.reverseOrder ? ' (reverse)' : ''}; VLV offset ${query.startIndex} count ${query.count}`
      : `paged search, sorted by ${sort.attributeType} in the gateway`;
    return `-- base: ${layout.spec.base} (scope ${layout.spec.scope})\n-- filter\n${text}\n-- ${paging}`;
  }

  async get(resourceType: string, id: string, selection: AttributeSelection = {}): Promise<ScimResource> {
    // Before the read's first search: it may share DN lookups sent from now on (shared-dn-lookups.ts).
    const startedAt = performance.now();
    const layout = this.layouts.get(resourceType);
    return this.guard(`${layout.name} ${id}`, () =>
      this.pool.use(async (client) => {
        const lists = this.listsRequested(layout, selection);
        const entry = await this.entryById(client, layout, id, this.attributesToRead(layout, lists));
        const [resource] = await this.toResources(client, layout, [entry], lists, startedAt);
        if (resource === undefined) throw scimErrors.notFound(`${layout.name} ${id} not found`);
        return resource;
      }),
    );
  }

  // --------------------------------------------------------------- writes

  private checkIfMatch(
    layout: LdapLayout,
    id: string,
    entry: Entry,
    condition: WriteCondition | undefined,
  ): void {
    const ifMatch = condition?.ifMatch;
    if (ifMatch === undefined) return;
    const version = firstString(entry, this.profile.versionAttribute);
    const matches = version === undefined ? ifMatch.trim() === '*' : etagMatches(ifMatch, version);
    if (!matches)
      throw scimErrors.preconditionFailed(`${layout.name} ${id} has changed (If-Match does not match)`);
  }

  /** Atomic If-Match where the directory has RFC 4528: the write lands only on the version that was checked. */
  private writeControls(entry: Entry, condition: WriteCondition | undefined): Control[] {
    const version = firstString(entry, this.profile.versionAttribute);
    if (condition?.ifMatch === undefined || !this.profile.assertion || version === undefined) return [];
    return [
      new AssertionControl(new EqualityFilter({ attribute: this.profile.versionAttribute, value: version })),
    ];
  }

  /** `uid=bjensen` from the mapping's RDN template and the resource's values (escaped). */
  private rdnOf(layout: LdapLayout, resource: ScimResource): string {
    const { attribute, template } = layout.spec.rdn;
    const value = template.replace(/\{([^{}]*)\}/g, (_, placeholder: string) => {
      const resolved = layout.schema.resolve({ attribute: placeholder });
      const entry =
        resolved === undefined
          ? undefined
          : layout.scalars.find(
              (candidate) =>
                candidate.scim.schema === resolved.schema &&
                candidate.scim.attribute === resolved.attribute.name &&
                candidate.scim.subAttribute === resolved.subAttribute?.name,
            );
      const scim = entry === undefined ? undefined : scimScalarValue(layout, resource, entry);
      if (scim === undefined || scim === null || String(scim) === '') {
        throw scimErrors.invalidValue(
          `'${placeholder}' is required: it names the ${layout.name} in the directory`,
        );
      }
      return String(scim);
    });
    return `${attribute}=${escapeDnValue(value)}`;
  }

  /** Attributes with server-enforced uniqueness in SCIM (userName): checked by search before writing. */
  private async checkUniqueness(
    client: Client,
    layout: LdapLayout,
    resource: ScimResource,
    ownDn?: string,
  ): Promise<void> {
    for (const entry of layout.scalars) {
      const { value: definition } = layout.definitionOf(entry);
      if (definition.uniqueness === 'none' || entry.readOnly || entry.ref !== undefined) continue;
      const value = scimScalarValue(layout, resource, entry);
      if (typeof value !== 'string' || value === '') continue;
      const filter = and([layout.typeFilter, new EqualityFilter({ attribute: entry.target, value })]);
      const { searchEntries } = await client.search(layout.spec.base, {
        scope: 'sub',
        filter,
        attributes: ['1.1'],
        sizeLimit: 2,
      });
      if (
        searchEntries.some((found) => ownDn === undefined || normalizeDn(found.dn) !== normalizeDn(ownDn))
      ) {
        throw scimErrors.uniqueness(`A ${layout.name} with this ${definition.name} already exists`);
      }
    }
  }

  /** The DNs for referenced ids; 400 naming the first id that does not exist. */
  private async referenceDns(
    client: Client,
    ids: readonly string[],
    types: readonly string[] | undefined,
    label: string,
  ): Promise<Map<string, ReferenceTarget>> {
    const targets = types ?? this.layouts.names;
    const found =
      ids.length === 0 ? new Map<string, ReferenceTarget>() : await this.resolveIds(client, ids, targets);
    const unknown = ids.find((id) => !found.has(id.toLowerCase()));
    if (unknown !== undefined) {
      throw scimErrors.invalidValue(
        `'${label}' value '${unknown}' is not an existing ${targets.join(' or ')}`,
      );
    }
    return found;
  }

  private hasPlaceholder(layout: LdapLayout): boolean {
    return layout.spec.objectClasses.some((oc) =>
      this.profile.memberPlaceholderClasses.includes(oc.toLowerCase()),
    );
  }

  /** The full value set of a DN list, with groupOfNames' empty-DN placeholder where the schema needs a value. */
  private listValues(layout: LdapLayout, dns: readonly string[]): string[] {
    return this.hasPlaceholder(layout) ? ['', ...dns] : [...dns];
  }

  /** LDAP values of every writable scalar of a resource (manager ids resolved). */
  private async scalarValues(
    client: Client,
    layout: LdapLayout,
    resource: ScimResource,
  ): Promise<Map<string, { entry: ScalarAttribute; values: LdapValue[] }>> {
    const result = new Map<string, { entry: ScalarAttribute; values: LdapValue[] }>();
    for (const entry of layout.scalars) {
      if (entry.readOnly) continue;
      const given = scimScalarValue(layout, resource, entry);
      if (isPassword(entry)) {
        // Never cleared (a PUT without password keeps it), never compared (it cannot be read).
        if (typeof given === 'string' && given !== '')
          result.set(entry.target.toLowerCase(), { entry, values: this.passwordValues(entry, given) });
        continue;
      }
      // The mapping's default fills attributes the directory requires (person's sn, cn).
      const scim =
        (given === undefined || given === null || given === '') && entry.defaultValue !== undefined
          ? entry.defaultValue
          : given;
      let dnOf: (id: string) => string | undefined = () => undefined;
      if (entry.ref !== undefined && scim !== undefined && scim !== null && scim !== '') {
        const found = await this.referenceDns(client, [String(scim)], entry.ref, entry.scim.attribute);
        dnOf = (id) => found.get(id.toLowerCase())?.dn;
      }
      const values = ldapValuesFor(layout, entry, scim, dnOf);
      if (
        this.profile.activeDirectory &&
        entry.target.toLowerCase() === 'samaccountname' &&
        typeof values[0] === 'string'
      ) {
        checkSamAccountName(values[0], entry.scim.attribute);
      }
      const previous = result.get(entry.target.toLowerCase());
      // Two mappings on one attribute (readOnly duplicates are skipped above): keep the first with a value.
      if (previous === undefined || previous.values.length === 0)
        result.set(entry.target.toLowerCase(), { entry, values });
    }
    return result;
  }

  /**
   * AD's unicodePwd is the quoted password in UTF-16LE, and AD takes it only
   * over an encrypted connection: refused here, before anything is sent,
   * when the pool's connection is plain ldap://.
   */
  private passwordValues(entry: ScalarAttribute, password: string): LdapValue[] {
    if (!isUnicodePwd(entry.target)) return [password];
    if (!this.pool.encrypted) {
      throw scimErrors.invalidValue(
        'password can only be sent to Active Directory over an encrypted connection (ldaps:// or startTls), ' +
          'and this mapping connects without one; the password was not sent',
      );
    }
    return [unicodePwd(password)];
  }

  private async listDns(
    client: Client,
    layout: LdapLayout,
    resource: ScimResource,
  ): Promise<Map<DnListAttribute, string[]>> {
    const result = new Map<DnListAttribute, string[]>();
    for (const list of layout.references) {
      if (list.readOnly) continue;
      const raw = resource[list.scim.attribute];
      const ids = Array.isArray(raw)
        ? raw.map((item) =>
            typeof item === 'object' && item !== null
              ? String((item as Record<string, unknown>).value ?? '')
              : String(item),
          )
        : [];
      const found = await this.referenceDns(client, ids, list.ref, list.scim.attribute);
      result.set(
        list,
        [...new Set(ids.map((id) => found.get(id.toLowerCase())?.dn ?? ''))].filter((dn) => dn !== ''),
      );
    }
    return result;
  }

  async create(resourceType: string, resource: ScimResource): Promise<ScimResource> {
    const layout = this.layouts.get(resourceType);
    return this.guard(layout.name, () =>
      this.pool.use(
        async (client) => {
          await this.checkUniqueness(client, layout, resource);
          const scalars = await this.scalarValues(client, layout, resource);
          const lists = await this.listDns(client, layout, resource);
          const dn = `${this.rdnOf(layout, resource)},${layout.spec.base}`;
          const attributes: Attribute[] = [
            new Attribute({ type: 'objectClass', values: [...layout.spec.objectClasses] }),
          ];
          // AD's order: add the account disabled, set its password, then enable it.
          const followUps: Change[] = [];
          let enable: Change | undefined;
          for (const { entry, values } of scalars.values()) {
            if (values.length === 0) continue;
            const ad = this.profile.activeDirectory;
            if (ad && isUnicodePwd(entry.target)) {
              followUps.push(change('replace', entry.target, values));
            } else if (ad && entry.transform?.name === 'adAccountEnabled' && typeof values[0] === 'string') {
              const disabled = disabledUserAccountControl(values[0]);
              attributes.push(change('replace', entry.target, [disabled]).modification);
              if (disabled !== values[0]) enable = change('replace', entry.target, values);
            } else {
              attributes.push(change('replace', entry.target, values).modification);
            }
          }
          if (enable !== undefined) followUps.push(enable);
          for (const [list, dns] of lists) {
            const values = this.listValues(layout, dns);
            if (values.length > 0) attributes.push(new Attribute({ type: list.ldapAttribute, values }));
          }
          await client.add(dn, attributes);
          try {
            for (const followUp of followUps) await client.modify(dn, followUp);
          } catch (err) {
            // Nothing half-written: an account whose password or enabling failed is removed again.
            await client.del(dn).catch(() => undefined);
            throw err;
          }
          const readLists = layout.references;
          const entry = await this.entryByDn(client, layout, dn, this.attributesToRead(layout, readLists));
          const [created] = await this.toResources(client, layout, [entry], readLists);
          if (created === undefined) throw scimErrors.notFound(`${layout.name} not found after create`);
          return withBackendObject(created, entry.dn);
        },
        { retry: false },
      ),
    );
  }

  /** modifyDN when the RDN's source changed; the id stays, group references follow (refint / AD). */
  private async renameIfNeeded(
    client: Client,
    layout: LdapLayout,
    dn: string,
    resource: ScimResource,
  ): Promise<string> {
    const rdn = this.rdnOf(layout, resource);
    if (normalizeDn(rdn) === normalizeDn(firstRdn(dn))) return dn;
    await client.modifyDN(dn, rdn);
    return `${rdn},${parentDn(dn)}`;
  }

  /** Changes that turn `entry` into `scalars`. */
  private scalarChanges(
    entry: Entry,
    scalars: Map<string, { entry: ScalarAttribute; values: LdapValue[] }>,
    rdnAttribute: string,
  ): Change[] {
    const changes: Change[] = [];
    for (const { entry: mapping, values: computed } of scalars.values()) {
      const current = valuesOf(entry, mapping.target);
      let values = computed;
      if (mapping.transform?.name === 'adAccountEnabled' && typeof computed[0] === 'string') {
        values = [mergeUserAccountControl(firstString(entry, mapping.target), computed[0])];
      }
      if (sameValues(current, values)) continue;
      // The RDN attribute is set by modifyDN; writing it as well would fight the rename.
      if (mapping.target.toLowerCase() === rdnAttribute.toLowerCase() && values.length > 0) continue;
      if (values.length === 0) {
        if (current.length > 0) changes.push(change('delete', mapping.target, []));
      } else if (isPassword(mapping)) {
        // Before userAccountControl: AD enables an account only once it has a password.
        changes.unshift(change('replace', mapping.target, values));
      } else {
        changes.push(change('replace', mapping.target, values));
      }
    }
    return changes;
  }

  async replace(
    resourceType: string,
    id: string,
    resource: ScimResource,
    condition?: WriteCondition,
  ): Promise<ScimResource> {
    const layout = this.layouts.get(resourceType);
    const what = `${layout.name} ${id}`;
    return this.guard(what, () =>
      this.pool.use(async (client) => {
        const entry = await this.entryById(client, layout, id, this.attributesToRead(layout, []));
        this.checkIfMatch(layout, id, entry, condition);
        await this.checkUniqueness(client, layout, resource, entry.dn);
        const scalars = await this.scalarValues(client, layout, resource);
        const lists = await this.listDns(client, layout, resource);
        const changes = this.scalarChanges(entry, scalars, layout.spec.rdn.attribute);
        for (const [list, dns] of lists) {
          const values = this.listValues(layout, dns);
          changes.push(
            values.length === 0
              ? change('replace', list.ldapAttribute, [])
              : change('replace', list.ldapAttribute, values),
          );
        }
        const controls = this.writeControls(entry, condition);
        if (changes.length > 0) await client.modify(entry.dn, changes, controls);
        const dn = await this.renameIfNeeded(client, layout, entry.dn, resource);
        return this.readBack(client, layout, dn, {});
      }),
    );
  }

  private async readBack(
    client: Client,
    layout: LdapLayout,
    dn: string,
    selection: AttributeSelection,
  ): Promise<ScimResource> {
    const lists = this.listsRequested(layout, selection);
    const entry = await this.entryByDn(client, layout, dn, this.attributesToRead(layout, lists));
    const [resource] = await this.toResources(client, layout, [entry], lists);
    if (resource === undefined) throw scimErrors.notFound(`${layout.name} not found`);
    return withBackendObject(resource, entry.dn);
  }

  /** Member deltas → LDAP value changes; every id is resolved (and checked) before anything is written. */
  private async memberChanges(
    client: Client,
    layout: LdapLayout,
    dn: string,
    deltas: readonly MemberDelta[],
  ): Promise<Change[]> {
    const changes: Change[] = [];
    for (const delta of deltas) {
      const attribute = delta.attribute.ldapAttribute;
      const label = delta.attribute.scim.attribute;
      switch (delta.kind) {
        case 'add':
        case 'replace': {
          const found = await this.referenceDns(client, delta.ids, delta.attribute.ref, label);
          const dns = [...new Set(delta.ids.map((id) => found.get(id.toLowerCase())?.dn ?? ''))].filter(
            (d) => d !== '',
          );
          if (delta.kind === 'replace')
            changes.push(change('replace', attribute, this.listValues(layout, dns)));
          else if (dns.length > 0) changes.push(change('add', attribute, dns));
          break;
        }
        case 'remove': {
          const found = await this.resolveIds(client, delta.ids, delta.attribute.ref ?? this.layouts.names);
          const dns = [...found.values()].map((target) => target.dn);
          if (dns.length > 0) changes.push(change('delete', attribute, dns));
          break;
        }
        case 'removeAll':
          changes.push(change('replace', attribute, this.listValues(layout, [])));
          break;
        case 'removeWhere': {
          const ids = idsOfValueFilter(delta.filter);
          let dns: string[];
          if (ids !== undefined) {
            const found = await this.resolveIds(client, ids, delta.attribute.ref ?? this.layouts.names);
            dns = [...found.values()].map((target) => target.dn);
          } else {
            // Any other value filter needs the values: read this one attribute and match in memory.
            const entry = await this.entryByDn(client, layout, dn, [
              this.listAttributeToRead(delta.attribute),
            ]);
            await this.completeRanges(client, [entry], [delta.attribute]);
            const current = valuesOf(entry, attribute)
              .map(String)
              .filter((value) => value !== '');
            const index = await this.resolveDns(client, current);
            dns = current.filter((memberDn) => {
              const target = index.get(normalizeDn(memberDn));
              if (target === undefined) return false;
              return matchesFilter(
                layout.schema,
                { [label]: [{ value: target.id, type: target.type }] },
                {
                  kind: 'valuePath',
                  path: { attribute: label },
                  filter: delta.filter,
                },
              );
            });
          }
          if (dns.length > 0) changes.push(change('delete', attribute, dns));
          break;
        }
      }
    }
    return changes;
  }

  /** Value-level member modify; a directory that rejects deleting absent values gets them one by one. */
  private async applyMemberChanges(
    client: Client,
    dn: string,
    changes: Change[],
    controls: Control[],
  ): Promise<void> {
    if (changes.length === 0) return;
    try {
      await client.modify(dn, changes, [new PermissiveModifyControl(), ...controls]);
    } catch (err) {
      // OpenLDAP ignores permissive modify for delete, Samba for linked attributes (member) on add.
      if (!isValueAbsent(err) && !isValueExists(err)) throw err;
      for (const one of changes) {
        if (one.operation === 'replace') {
          await client.modify(dn, one, new PermissiveModifyControl());
          continue;
        }
        const harmless = one.operation === 'delete' ? isValueAbsent : isValueExists;
        for (const value of one.modification.values) {
          await client
            .modify(dn, change(one.operation, one.modification.type, [value]), new PermissiveModifyControl())
            .catch((inner: unknown) => {
              if (!harmless(inner)) throw inner;
            });
        }
      }
    }
  }

  async modify(
    resourceType: string,
    id: string,
    operations: readonly PatchOperation[],
    condition?: WriteCondition,
    selection: AttributeSelection = {},
  ): Promise<ScimResource> {
    const layout = this.layouts.get(resourceType);
    const what = `${layout.name} ${id}`;
    const { deltas, others } = splitPatch(layout, operations);
    if (others.length === 0 && deltas.length > 0 && condition?.ifMatch === undefined) {
      return this.guard(what, () => this.modifyMembersOnly(layout, id, deltas, selection));
    }
    return this.guard(what, () =>
      this.pool.use(async (client) => {
        const entry = await this.entryById(client, layout, id, this.attributesToRead(layout, []));
        this.checkIfMatch(layout, id, entry, condition);
        const memberChanges = await this.memberChanges(client, layout, entry.dn, deltas);
        let scalarChanges: Change[] = [];
        let patched: ScimResource | undefined;
        if (others.length > 0) {
          const [current] = await this.toResources(client, layout, [entry], []);
          if (current === undefined) throw scimErrors.notFound(`${what} not found`);
          patched = applyPatch(layout.schema, current, others);
          await this.checkUniqueness(client, layout, patched, entry.dn);
          scalarChanges = this.scalarChanges(
            entry,
            await this.scalarValues(client, layout, patched),
            layout.spec.rdn.attribute,
          );
        }
        const controls = this.writeControls(entry, condition);
        if (scalarChanges.length > 0) await client.modify(entry.dn, scalarChanges, controls);
        await this.applyMemberChanges(
          client,
          entry.dn,
          memberChanges,
          scalarChanges.length > 0 ? [] : controls,
        );
        const dn =
          patched === undefined ? entry.dn : await this.renameIfNeeded(client, layout, entry.dn, patched);
        return this.readBack(client, layout, dn, selection);
      }),
    );
  }

  /**
   * An unconditional PATCH of members only: the change is merged with
   * concurrent member changes of the same group into one modify
   * (member-write-coalescer.ts). No connection is held while it waits, so
   * every waiting request can join the next modify.
   */
  private async modifyMembersOnly(
    layout: LdapLayout,
    id: string,
    deltas: readonly MemberDelta[],
    selection: AttributeSelection,
  ): Promise<ScimResource> {
    const { dn, changes } = await this.pool.use(async (client) => {
      const entry = await this.entryById(client, layout, id, this.attributesToRead(layout, []));
      return { dn: entry.dn, changes: await this.memberChanges(client, layout, entry.dn, deltas) };
    });
    if (changes.length > 0) {
      await this.memberWrites.apply(normalizeDn(dn), changes, (merged) =>
        this.pool.use((client) => this.applyMemberChanges(client, dn, merged, [])),
      );
    }
    return this.pool.use((client) => this.readBack(client, layout, dn, selection));
  }

  async delete(resourceType: string, id: string, condition?: WriteCondition): Promise<DeleteReceipt> {
    const layout = this.layouts.get(resourceType);
    const what = `${layout.name} ${id}`;
    return this.guard(what, () =>
      this.pool.use(
        async (client) => {
          const entry = await this.entryById(client, layout, id, this.attributesToRead(layout, []));
          this.checkIfMatch(layout, id, entry, condition);
          await client.del(entry.dn, this.writeControls(entry, condition));
          return deletedReceipt(entry.dn);
        },
        { retry: false },
      ),
    );
  }

  async ping(): Promise<void> {
    await this.guard('Directory', () =>
      this.pool.use(async (client) => {
        await client.search('', { scope: 'base', attributes: ['1.1'] });
      }),
    );
  }

  poolStats(): PoolStats {
    return this.pool.stats();
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** A ResourceStore for an LDAP mapping; connections are opened on first use. */
export async function createLdapStore(mapping: CompiledMapping): Promise<ResourceStore> {
  if (mapping.backend.type !== 'ldap') throw new Error(`Mapping ${mapping.source} is not an LDAP mapping`);
  return new LdapStore(mapping, new LdapPool(mapping.backend));
}
