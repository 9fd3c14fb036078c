import type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  ResourceTypeDefinition,
  Returned,
  SchemaDefinition,
  Uniqueness,
} from './model.js';

/**
 * The RFC 7643 core schemas as data (§4 User and Group, §4.3 Enterprise User,
 * §3.1 common attributes, §6 resource types), with the characteristics of the
 * §8.7.1 schema representation. One deliberate difference: Group
 * `displayName` is required, as §4.2 says ("REQUIRED") although the §8.7.1
 * listing says false — every real client sends it and backends name groups
 * by it. Group `members.display` is added (readWrite), as clients send it.
 */
export const SCHEMA_URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

interface AttributeOptions {
  readonly type?: AttributeType;
  readonly multiValued?: boolean;
  readonly required?: boolean;
  readonly caseExact?: boolean;
  readonly mutability?: Mutability;
  readonly returned?: Returned;
  readonly uniqueness?: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

/** An attribute with the RFC 7643 §2.2 defaults for everything not given. */
function attr(name: string, description: string, options: AttributeOptions = {}): AttributeDefinition {
  const definition: AttributeDefinition = {
    name,
    type: options.type ?? 'string',
    multiValued: options.multiValued ?? false,
    description,
    required: options.required ?? false,
    caseExact: options.caseExact ?? false,
    mutability: options.mutability ?? 'readWrite',
    returned: options.returned ?? 'default',
    uniqueness: options.uniqueness ?? 'none',
    ...(options.canonicalValues === undefined ? {} : { canonicalValues: options.canonicalValues }),
    ...(options.referenceTypes === undefined ? {} : { referenceTypes: options.referenceTypes }),
    ...(options.subAttributes === undefined ? {} : { subAttributes: options.subAttributes }),
  };
  return definition;
}

/** The value/display/type/primary quartet shared by emails, phoneNumbers, ims, photos, entitlements, roles, x509Certificates. */
function multiValuedQuartet(
  noun: string,
  valueOptions: AttributeOptions,
  canonicalTypes: readonly string[] | undefined,
): AttributeDefinition[] {
  return [
    attr('value', `The value of the ${noun}.`, valueOptions),
    attr('display', 'A human-readable name, primarily used for display purposes.'),
    attr(
      'type',
      `A label indicating the attribute's function.`,
      canonicalTypes === undefined ? {} : { canonicalValues: canonicalTypes },
    ),
    attr(
      'primary',
      `A Boolean value indicating the 'primary' or preferred attribute value for this attribute.`,
      {
        type: 'boolean',
      },
    ),
  ];
}

/** RFC 7643 §3.1: id, externalId, meta — part of every resource, not of any schema listing. */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  attr('id', 'Unique identifier for the SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr(
    'externalId',
    'A String that is an identifier for the resource as defined by the provisioning client.',
    {
      caseExact: true,
    },
  ),
  attr('meta', 'A complex attribute containing resource metadata.', {
    type: 'complex',
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attr('created', 'The DateTime that the resource was added to the service provider.', {
        type: 'dateTime',
        mutability: 'readOnly',
      }),
      attr('lastModified', 'The most recent DateTime that the details of this resource were updated.', {
        type: 'dateTime',
        mutability: 'readOnly',
      }),
      attr('location', 'The URI of the resource being returned.', {
        type: 'reference',
        referenceTypes: ['uri'],
        caseExact: true,
        mutability: 'readOnly',
      }),
      attr('version', 'The version of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
  }),
];

export const USER_SCHEMA: SchemaDefinition = {
  id: SCHEMA_URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'Unique identifier for the User, typically used by the user to directly authenticate.', {
      required: true,
      uniqueness: 'server',
    }),
    attr('name', `The components of the user's real name.`, {
      type: 'complex',
      subAttributes: [
        attr('formatted', 'The full name, including all middle names, titles, and suffixes as appropriate.'),
        attr('familyName', 'The family name of the User.'),
        attr('givenName', 'The given name of the User.'),
        attr('middleName', 'The middle name(s) of the User.'),
        attr('honorificPrefix', 'The honorific prefix(es) of the User.'),
        attr('honorificSuffix', 'The honorific suffix(es) of the User.'),
      ],
    }),
    attr('displayName', 'The name of the User, suitable for display to end-users.'),
    attr('nickName', 'The casual way to address the user in real life.'),
    attr('profileUrl', `A fully qualified URL pointing to a page representing the User's online profile.`, {
      type: 'reference',
      referenceTypes: ['external'],
    }),
    attr('title', `The user's title, such as "Vice President".`),
    attr('userType', 'Used to identify the relationship between the organization and the user.'),
    attr('preferredLanguage', `Indicates the User's preferred written or spoken language.`),
    attr('locale', `Used to indicate the User's default location for purposes of localizing items.`),
    attr('timezone', `The User's time zone in the 'Olson' time zone database format.`),
    attr('active', `A Boolean value indicating the User's administrative status.`, { type: 'boolean' }),
    attr('password', `The User's cleartext password.`, { mutability: 'writeOnly', returned: 'never' }),
    attr('emails', 'Email addresses for the user.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedQuartet('email address', {}, ['work', 'home', 'other']),
    }),
    attr('phoneNumbers', 'Phone numbers for the User.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedQuartet('phone number', {}, [
        'work',
        'home',
        'mobile',
        'fax',
        'pager',
        'other',
      ]),
    }),
    attr('ims', 'Instant messaging addresses for the User.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedQuartet('instant messaging address', {}, [
        'aim',
        'gtalk',
        'icq',
        'xmpp',
        'msn',
        'skype',
        'qq',
        'yahoo',
      ]),
    }),
    attr('photos', 'URLs of photos of the User.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedQuartet('photo URL', { type: 'reference', referenceTypes: ['external'] }, [
        'photo',
        'thumbnail',
      ]),
    }),
    attr('addresses', 'A physical mailing address for this User.', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attr('formatted', 'The full mailing address, formatted for display or use with a mailing label.'),
        attr('streetAddress', 'The full street address component.'),
        attr('locality', 'The city or locality component.'),
        attr('region', 'The state or region component.'),
        attr('postalCode', 'The zip code or postal code component.'),
        attr('country', 'The country name component.'),
        attr('type', `A label indicating the attribute's function.`, {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attr('primary', `A Boolean value indicating the 'primary' or preferred address.`, {
          type: 'boolean',
        }),
      ],
    }),
    attr('groups', 'A list of groups to which the user belongs.', {
      type: 'complex',
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', `The identifier of the User's group.`, { mutability: 'readOnly' }),
        attr('$ref', `The URI of the corresponding 'Group' resource to which the user belongs.`, {
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          mutability: 'readOnly',
        }),
        attr('display', 'A human-readable name, primarily used for display purposes.', {
          mutability: 'readOnly',
        }),
        attr('type', `A label indicating the attribute's function.`, {
          canonicalValues: ['direct', 'indirect'],
          mutability: 'readOnly',
        }),
      ],
    }),
    attr('entitlements', 'A list of entitlements for the User that represent a thing the User has.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedQuartet('entitlement', {}, undefined),
    }),
    attr('roles', 'A list of roles for the User that collectively represent who the User is.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedQuartet('role', {}, []),
    }),
    attr('x509Certificates', 'A list of certificates issued to the User.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedQuartet('X.509 certificate', { type: 'binary' }, undefined),
    }),
  ],
};

export const GROUP_SCHEMA: SchemaDefinition = {
  id: SCHEMA_URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'A human-readable name for the Group.', { required: true }),
    attr('members', 'A list of members of the Group.', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attr('value', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        attr('$ref', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          mutability: 'immutable',
        }),
        attr('display', 'A human-readable name for the member.'),
        attr('type', "A label indicating the type of resource, e.g., 'User' or 'Group'.", {
          canonicalValues: ['User', 'Group'],
          mutability: 'immutable',
        }),
      ],
    }),
  ],
};

export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: SCHEMA_URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    attr('costCenter', 'Identifies the name of a cost center.'),
    attr('organization', 'Identifies the name of an organization.'),
    attr('division', 'Identifies the name of a division.'),
    attr('department', 'Identifies the name of a department.'),
    attr('manager', `The User's manager.`, {
      type: 'complex',
      subAttributes: [
        attr('value', "The id of the SCIM resource representing the User's manager."),
        attr('$ref', "The URI of the SCIM resource representing the User's manager.", {
          type: 'reference',
          referenceTypes: ['User'],
        }),
        attr('displayName', "The displayName of the User's manager.", { mutability: 'readOnly' }),
      ],
    }),
  ],
};

export const USER_RESOURCE_TYPE: ResourceTypeDefinition = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: SCHEMA_URN.user,
  schemaExtensions: [{ schema: SCHEMA_URN.enterpriseUser, required: false }],
};

export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: SCHEMA_URN.group,
  schemaExtensions: [],
};
