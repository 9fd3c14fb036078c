import { backendObjectOf } from '../../backends/backend-object.js';
import { isScimError } from '../../scim/errors.js';
import type { ResourceResult, ResourceService } from '../resource-service.js';
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

/**
 * The request's ResourceService with every write (create, replace, patch,
 * delete — from the resource endpoints and from Bulk alike, which share this
 * service) written to the audit trail, successful or not. Reads pass
 * through. One small object per request; the service itself is shared.
 */
export function auditedService(
  inner: ResourceService,
  audit: AuditLog,
  context: AuditContext,
): ResourceService {
  const common: Common = {
    requestId: context.requestId,
    tenant: context.tenant,
    actor: context.actor,
    via: context.via,
  };

  async function audited<T>(
    operation: AuditOperation,
    resourceType: string,
    attributes: readonly string[],
    resourceId: string | undefined,
    success: number | ((result: T) => number),
    work: () => Promise<T>,
    describe: (result: T) => { resourceId?: string; backendObject?: string },
  ): Promise<T> {
    const base = { ...common, operation, resourceType, attributes };
    const id = resourceId === undefined ? {} : { resourceId };
    let result: T;
    try {
      result = await work();
    } catch (error) {
      const status = isScimError(error) ? error.status : 500;
      const scimType = isScimError(error) ? error.scimType : undefined;
      audit.record({ ...base, ...id, status, ...(scimType === undefined ? {} : { scimType }) });
      throw error;
    }
    const described = describe(result);
    const status = typeof success === 'number' ? success : success(result);
    audit.record({ ...base, ...id, ...described, status });
    return result;
  }

  const ofResult = (result: ResourceResult) => ({
    resourceId: result.id,
    ...(result.backendObject === undefined ? {} : { backendObject: result.backendObject }),
  });

  return {
    mapping: inner.mapping,
    limits: inner.limits,
    typeForEndpoint: (endpoint) => inner.typeForEndpoint(endpoint),
    get: (type, id, selection, ctx) => inner.get(type, id, selection, ctx),
    search: (type, params, ctx) => inner.search(type, params, ctx),
    create: (type, body, selection, ctx) =>
      audited(
        'create',
        type,
        attributesOfResourceBody(body),
        undefined,
        201,
        () => inner.create(type, body, selection, ctx),
        ofResult,
      ),
    replace: (type, id, body, condition, selection, ctx) =>
      audited(
        'replace',
        type,
        attributesOfResourceBody(body),
        id,
        200,
        () => inner.replace(type, id, body, condition, selection, ctx),
        ofResult,
      ),
    patch: (type, id, body, condition, selection, ctx) =>
      audited(
        'patch',
        type,
        attributesOfPatchBody(body),
        id,
        // The status the client sees: a members-only PATCH is answered 204 over HTTP, 200 inside Bulk.
        (result) => (result.noContent === true && context.via === 'http' ? 204 : 200),
        () => inner.patch(type, id, body, condition, selection, ctx),
        ofResult,
      ),
    delete: (type, id, condition) =>
      audited(
        'delete',
        type,
        [],
        id,
        204,
        () => inner.delete(type, id, condition),
        (receipt) => {
          const backendObject = backendObjectOf(receipt);
          return backendObject === undefined ? {} : { backendObject };
        },
      ),
  };
}
