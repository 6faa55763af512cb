import { authFromEvent, parseGroups, requireGroups, resolveTenantId, type AuthContext } from '@shared/auth';
import { ForbiddenError, UnauthorizedError, ValidationError } from '@shared/errors';
import { apiEvent, claimsFor, TENANT_A, TENANT_B, USER_SUB } from '../../support/events';

describe('parseGroups', () => {
  it.each([
    ['a real array', ['INTERNAL_ADMIN', 'TENANT_USER'], ['INTERNAL_ADMIN', 'TENANT_USER']],
    ['a comma string', 'INTERNAL_ADMIN,TENANT_USER', ['INTERNAL_ADMIN', 'TENANT_USER']],
    ['a comma string with spaces', 'INTERNAL_ADMIN, TENANT_USER', ['INTERNAL_ADMIN', 'TENANT_USER']],
    ['the bracketed space form', '[INTERNAL_ADMIN TENANT_USER]', ['INTERNAL_ADMIN', 'TENANT_USER']],
    ['the bracketed comma form', '[INTERNAL_ADMIN, TENANT_USER]', ['INTERNAL_ADMIN', 'TENANT_USER']],
    ['a JSON-encoded array', '["INTERNAL_ADMIN","TENANT_USER"]', ['INTERNAL_ADMIN', 'TENANT_USER']],
    ['a single name', 'TENANT_ADMIN', ['TENANT_ADMIN']],
    ['a single name in brackets', '[TENANT_ADMIN]', ['TENANT_ADMIN']],
    ['an empty string', '', []],
    ['empty brackets', '[]', []],
    ['undefined', undefined, []],
    ['null', null, []],
    ['a number', 42, []],
    ['unknown names mixed in', 'us-east-1_Google,TENANT_USER,ROOT', ['TENANT_USER']],
    ['unknown names in an array', ['admin', 'TENANT_USER', 7], ['TENANT_USER']],
    ['duplicates', '[TENANT_USER, TENANT_USER]', ['TENANT_USER']],
    ['lower-case look-alikes', 'tenant_user', []],
  ])('GIVEN %s WHEN parsed THEN returns the known groups', (_label, raw, expected) => {
    // Act
    const groups = parseGroups(raw);
    // Assert
    expect(groups).toEqual(expected);
  });
});

describe('authFromEvent', () => {
  it('GIVEN full tenant claims WHEN extracted THEN returns sub, email, tenant and groups', () => {
    // Arrange
    const event = apiEvent({ claims: claimsFor({ groups: ['TENANT_ADMIN'], tenantId: TENANT_A }) });
    // Act
    const auth = authFromEvent(event);
    // Assert
    expect(auth).toEqual({
      sub: USER_SUB,
      email: 'ana@example.com',
      tenantId: TENANT_A,
      groups: ['TENANT_ADMIN'],
      isStaff: false,
    });
  });

  it('GIVEN a staff group WHEN extracted THEN isStaff is true', () => {
    const auth = authFromEvent(apiEvent({ claims: claimsFor({ groups: '[INTERNAL_SUPPORT]' }) }));
    expect(auth.isStaff).toBe(true);
    expect(auth.tenantId).toBeUndefined();
  });

  it('GIVEN no authorizer WHEN extracted THEN throws UnauthorizedError', () => {
    expect(() => authFromEvent(apiEvent({ claims: null }))).toThrow(UnauthorizedError);
  });

  it.each([
    ['missing', {}],
    ['empty', { sub: '  ' }],
  ])('GIVEN a %s sub WHEN extracted THEN throws UnauthorizedError', (_label, claims) => {
    expect(() => authFromEvent(apiEvent({ claims }))).toThrow(UnauthorizedError);
  });

  it('GIVEN tenant_id in query, body and headers but no claim WHEN extracted THEN tenantId is undefined', () => {
    // Arrange: everything a caller controls names tenant B.
    const event = apiEvent({
      method: 'POST',
      query: { tenant_id: TENANT_B },
      body: { tenant_id: TENANT_B },
      headers: { 'x-tenant-id': TENANT_B, tenant_id: TENANT_B },
      claims: claimsFor({ groups: ['TENANT_USER'] }),
    });
    // Act
    const auth = authFromEvent(event);
    // Assert
    expect(auth.tenantId).toBeUndefined();
  });

  it('GIVEN a tenant claim and a foreign tenant_id elsewhere WHEN extracted THEN the claim wins', () => {
    const event = apiEvent({
      query: { tenant_id: TENANT_B },
      headers: { 'x-tenant-id': TENANT_B },
      claims: claimsFor({ groups: ['TENANT_USER'], tenantId: TENANT_A }),
    });
    expect(authFromEvent(event).tenantId).toBe(TENANT_A);
  });

  it.each([
    ['padded', `  ${TENANT_A}  `, TENANT_A],
    ['upper-case', TENANT_A.toUpperCase(), TENANT_A],
    ['empty', '', undefined],
    ['blank', '   ', undefined],
    ['not a uuid', 'acme-corp', undefined],
    ['a uuid with junk', `${TENANT_A}x`, undefined],
  ])('GIVEN a custom:tenant_id that is %s WHEN extracted THEN it is normalised or treated as absent', (_label, claim, expected) => {
    const auth = authFromEvent(apiEvent({ claims: claimsFor({ groups: ['TENANT_USER'], tenantId: claim }) }));
    expect(auth.tenantId).toBe(expected);
  });
});

describe('requireGroups', () => {
  const auth = (groups: AuthContext['groups']): AuthContext => ({ sub: 's', groups, isStaff: false });

  it('GIVEN a matching group WHEN checked THEN passes', () => {
    expect(() => requireGroups(auth(['TENANT_USER']), ['TENANT_ADMIN', 'TENANT_USER'])).not.toThrow();
  });

  it('GIVEN no matching group WHEN checked THEN throws ForbiddenError naming the allowed groups', () => {
    expect(() => requireGroups(auth(['TENANT_USER']), ['INTERNAL_ADMIN'])).toThrow(
      new ForbiddenError('This operation requires one of the groups: INTERNAL_ADMIN'),
    );
  });

  it('GIVEN an empty allow-list WHEN checked THEN nobody passes', () => {
    expect(() => requireGroups(auth(['INTERNAL_ADMIN']), [])).toThrow(ForbiddenError);
  });
});

describe('resolveTenantId', () => {
  const tenantUser = (tenantId?: string): AuthContext => ({ sub: 'u', tenantId, groups: ['TENANT_USER'], isStaff: false });
  const staff = (tenantId?: string): AuthContext => ({ sub: 's', tenantId, groups: ['INTERNAL_SUPPORT'], isStaff: true });

  it.each([
    ['tenant user, nothing named', tenantUser(TENANT_A), undefined, TENANT_A],
    ['tenant user naming own tenant', tenantUser(TENANT_A), TENANT_A, TENANT_A],
    ['tenant user naming own tenant in upper case', tenantUser(TENANT_A), TENANT_A.toUpperCase(), TENANT_A],
    ['staff naming a tenant', staff(), TENANT_B, TENANT_B],
    ['staff naming a tenant other than their own', staff(TENANT_A), TENANT_B, TENANT_B],
    ['staff with a token tenant, nothing named', staff(TENANT_A), undefined, TENANT_A],
  ])('GIVEN %s WHEN resolved THEN returns that tenant', (_label, auth, requested, expected) => {
    expect(resolveTenantId(auth, requested)).toBe(expected);
  });

  it('GIVEN a tenant user naming a foreign tenant WHEN resolved THEN 403 (not silently ignored)', () => {
    expect(() => resolveTenantId(tenantUser(TENANT_A), TENANT_B)).toThrow(ForbiddenError);
  });

  it('GIVEN a tenant user without a tenant claim WHEN resolved THEN 403 saying the account is unlinked', () => {
    expect(() => resolveTenantId(tenantUser(), undefined)).toThrow(new ForbiddenError('your account is not linked to a tenant'));
    expect(() => resolveTenantId(tenantUser(), TENANT_A)).toThrow(ForbiddenError);
  });

  it('GIVEN staff with no tenant named and none in the token WHEN resolved THEN 400 naming tenant_id', () => {
    // Act
    const act = () => resolveTenantId(staff(), undefined);
    // Assert
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(/tenant_id/);
  });

  it.each([
    ['tenant user', tenantUser(TENANT_A)],
    ['staff', staff()],
  ])('GIVEN a %s naming a malformed uuid WHEN resolved THEN 400 naming tenant_id', (_label, auth) => {
    // Act
    let caught: unknown;
    try {
      resolveTenantId(auth, "1' OR '1'='1");
    } catch (error) {
      caught = error;
    }
    // Assert
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.status).toBe(400);
    expect(error.message).toContain('"tenant_id"');
    expect(error.details).toEqual([{ field: 'tenant_id', location: 'query', message: 'must be a UUID' }]);
  });

  it('GIVEN an empty tenant_id WHEN resolved THEN 400, not treated as absent', () => {
    expect(() => resolveTenantId(staff(TENANT_A), '')).toThrow(ValidationError);
  });
});
