import { GROUPS } from '@shared/auth';
import { DEMO_PASSWORD, DEMO_USERS, demoUserRole } from '@database/seed/demo-users';
import { seededDemoUsers, tenantIdFor } from '@database/seed';

describe('DEMO_USERS', () => {
  it('covers every group', () => {
    const covered = new Set(DEMO_USERS.flatMap((user) => user.groups));
    expect([...covered].sort()).toEqual([...GROUPS].sort());
  });

  it('has a TENANT_ADMIN and a TENANT_USER on each of the first two tenants, and staff on none', () => {
    for (const tenantIndex of [0, 1]) {
      const groups = DEMO_USERS.filter((u) => u.tenantIndex === tenantIndex).flatMap((u) => u.groups);
      expect(groups.sort()).toEqual(['TENANT_ADMIN', 'TENANT_USER']);
    }
    for (const user of DEMO_USERS.filter((u) => u.groups.some((g) => g.startsWith('INTERNAL_')))) {
      expect(user.tenantIndex).toBeNull();
    }
  });

  it('has unique emails and fixed, unique uuid subs', () => {
    expect(new Set(DEMO_USERS.map((u) => u.email)).size).toBe(DEMO_USERS.length);
    expect(new Set(DEMO_USERS.map((u) => u.sub)).size).toBe(DEMO_USERS.length);
    for (const user of DEMO_USERS) expect(user.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('uses a password that satisfies the Cognito default policy', () => {
    expect(DEMO_PASSWORD).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,}$/);
    for (const user of DEMO_USERS) expect(user.password).toBe(DEMO_PASSWORD);
  });

  it('maps tenant people to tenant_users roles and resolves their tenant ids per seed', () => {
    expect(DEMO_USERS.filter((u) => u.tenantIndex !== null).map(demoUserRole)).toEqual(['ADMIN', 'USER', 'ADMIN', 'USER']);
    const seeded = seededDemoUsers(7);
    expect(seeded.find((u) => u.tenantIndex === 1)?.tenantId).toBe(tenantIdFor(7, 1));
    expect(seeded.filter((u) => u.tenantIndex === null).every((u) => u.tenantId === null)).toBe(true);
  });
});
