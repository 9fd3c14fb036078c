import { backendObjectOf } from '../../backends/backend-object.js';
import { isScimError } from '../../scim/errors.js';
import type {
  AttributeSelection,
  RequestContext,
  ResourceResult,
  ResourceService,
  SearchParams,
  WriteCondition,
} from '../resource-service.js';
import type { AuditEntry, AuditLog, AuditOperation } from './audit-log.js';
import { attributesOfPatchBody, attributesOfResourceBody } from './changed-attributes.js';

/** Who is writing, fixed per request. */
export interface AuditContext {
  readonly requestId: string;
  readonly tenant: string;
  readonly actor: string;
  readonly via: 'http' | 'bulk';
}

type Common = Omit<AuditEntry, 'operation' | 'resourceType' | 'status' | 'attributes'>;

const ofResult = (result: ResourceResult) => ({
  resourceId: result.id,
  ...(result.backendObject === undefined ? {} : { backendObject: result.backendObject }),
});

/**
 * The request's ResourceService with every write (create, replace, patch,
 * delete — from the resource endpoints and from Bulk alike, which share this
 * service) written to the audit trail, successful or not. Reads pass
 * through. One small object per request (a class, so no closures are built
 * per request); the service itself is shared.
 */
class AuditedService implements ResourceService {
  private readonly common: Common;

  constructor(
    private readonly inner: ResourceService,
    private readonly audit: AuditLog,
    private readonly context: AuditContext,
  ) {
    this.common = {
      requestId: context.requestId,
      tenant: context.tenant,
      actor: context.actor,
      via: context.via,
    };
  }

  get mapping() {
    return this.inner.mapping;
  }

  get limits() {
    return this.inner.limits;
  }

  typeForEndpoint(endpoint: string) {
    return this.inner.typeForEndpoint(endpoint);
  }

  get(type: string, id: string, selection: AttributeSelection, ctx: RequestContext) {
    return this.inner.get(type, id, selection, ctx);
  }

  search(type: string, params: SearchParams, ctx: RequestContext) {
    return this.inner.search(type, params, ctx);
  }

  create(type: string, body: unknown, selection: AttributeSelection, ctx: RequestContext) {
    return this.audited(
      'create',
      type,
      attributesOfResourceBody(body),
      undefined,
      201,
      () => this.inner.create(type, body, selection, ctx),
      ofResult,
    );
  }

  replace(
    type: string,
    id: string,
    body: unknown,
    condition: WriteCondition,
    selection: AttributeSelection,
    ctx: RequestContext,
  ) {
    return this.audited(
      'replace',
      type,
      attributesOfResourceBody(body),
      id,
      200,
      () => this.inner.replace(type, id, body, condition, selection, ctx),
      ofResult,
    );
  }

  patch(
    type: string,
    id: string,
    body: unknown,
    condition: WriteCondition,
    selection: AttributeSelection,
    ctx: RequestContext,
  ) {
    return this.audited(
      'patch',
      type,
      attributesOfPatchBody(body),
      id,
      // The status the client sees: a members-only PATCH is answered 204 over HTTP, 200 inside Bulk.
      (result) => (result.noContent === true && this.context.via === 'http' ? 204 : 200),
      () => this.inner.patch(type, id, body, condition, selection, ctx),
      ofResult,
    );
  }

  delete(type: string, id: string, condition: WriteCondition) {
    return this.audited(
      'delete',
      type,
      [],
      id,
      204,
      () => this.inner.delete(type, id, condition),
      (receipt) => {
        const backendObject = backendObjectOf(receipt);
        return backendObject === undefined ? {} : { backendObject };
      },
    );
  }

  private async audited<T>(
    operation: AuditOperation,
    resourceType: string,
    attributes: readonly string[],
    resourceId: string | undefined,
    success: number | ((result: T) => number),
    work: () => Promise<T>,
    describe: (result: T) => { resourceId?: string; backendObject?: string },
  ): Promise<T> {
    const base = { ...this.common, operation, resourceType, attributes };
    const id = resourceId === undefined ? {} : { resourceId };
    let result: T;
    try {
      result = await work();
    } catch (error) {
      const status = isScimError(error) ? error.status : 500;
      const scimType = isScimError(error) ? error.scimType : undefined;
      this.audit.record({ ...base, ...id, status, ...(scimType === undefined ? {} : { scimType }) });
      throw error;
    }
    const described = describe(result);
    const status = typeof success === 'number' ? success : success(result);
    this.audit.record({ ...base, ...id, ...described, status });
    return result;
  }
}

export function auditedService(
  inner: ResourceService,
  audit: AuditLog,
  context: AuditContext,
): ResourceService {
  return new AuditedService(inner, audit, context);
}
