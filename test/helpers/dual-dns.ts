/**
 * node:dns/promises with one more name, "dual.test", standing for a name like localhost that resolves to
 * 127.0.0.1 and ::1 (this machine's hosts file gives localhost only one): the lookup is faked, every socket is
 * real. In a test file: vi.mock('node:dns/promises', async original => (await import('../helpers/dual-dns.js')).withDualStackName(original)).
 */
export async function withDualStackName(original: <T>() => Promise<T>): Promise<typeof import('node:dns/promises')> {
	const real = await original<typeof import('node:dns/promises')>();
	const lookup = async (host: string, options?: {all?: boolean}) => {
		if (host !== 'dual.test') {
			return real.lookup(host, options as never);
		}

		const all = [{address: '127.0.0.1', family: 4}, {address: '::1', family: 6}];
		return options?.all ? all : all[0];
	};

	return {...real, lookup, default: {...real, lookup}} as never;
}
