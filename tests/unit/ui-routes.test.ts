import { describe, expect, it } from 'vitest';
import { jobHref, jobsHref, parseHash } from '../../src/ui/lib/routes';

describe('hash routes', () => {
  it('reads every page of the Console', () => {
    expect(parseHash('')).toEqual({ name: 'dashboard' });
    expect(parseHash('#/')).toEqual({ name: 'dashboard' });
    for (const name of ['recipes', 'import', 'export', 'settings'] as const)
      expect(parseHash(`#/${name}`)).toEqual({ name });
    expect(parseHash('#/jobs/a%2Fb')).toEqual({ name: 'job', id: 'a/b' });
    expect(parseHash('#/nowhere/else')).toEqual({ name: 'not-found', path: '/nowhere/else' });
  });

  it('keeps the job center filters', () => {
    const route = parseHash('#/jobs?status=failed&type=csv_categorization');
    expect(route.name).toBe('jobs');
    if (route.name !== 'jobs') return;
    expect(route.query.get('status')).toBe('failed');
    expect(route.query.get('type')).toBe('csv_categorization');
  });

  it('builds links that read back the same', () => {
    expect(parseHash(jobHref('x/y?z'))).toEqual({ name: 'job', id: 'x/y?z' });
    expect(jobsHref()).toBe('#/jobs');
    expect(jobsHref({ status: 'active' })).toBe('#/jobs?status=active');
  });
});
