// Ids as Beckon makes them (UUIDs), checked the same way everywhere a path, a link or a query
// string carries one, before it reaches a database that would refuse it. No dependencies.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
