import type { Variant } from './scenario-runner.js';
import { addMemberBody, SCIM_CONTENT_TYPE } from './scim-client.js';
import type { ServerProcess } from './server-process.js';

/** The gateway variant of a member-add comparison: one PATCH per member, each adding a different one. */
export function addMemberVariant(
  gateway: ServerProcess,
  auth: Readonly<Record<string, string>>,
  scenario: string,
  groupId: string,
  members: readonly string[],
): Variant {
  const bodies = members.map(addMemberBody);
  const path = `/scim/v2/Groups/${groupId}`;
  return {
    scenario,
    via: 'gateway',
    http: {
      origin: gateway.origin,
      method: 'PATCH',
      paths: bodies.map(() => path),
      bodies,
      headers: { ...auth, 'content-type': SCIM_CONTENT_TYPE },
    },
    serverPid: gateway.pid,
  };
}
