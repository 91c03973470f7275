import ipaddr from 'ipaddr.js';

/**
 * What one client counts as in every per-client limit (HTTP rate limits, sign-in delays, WebSockets
 * per address). An IPv4 address is itself, also when written IPv4-mapped (`::ffff:1.2.3.4`); an IPv6
 * address counts as its /64, since one host or home line is routinely given a whole /64 and could
 * otherwise open a fresh limit with every address in it. Anything else (never the case for a
 * socket's peer or Express's `req.ip`) is kept as written, behind a prefix no address yields.
 */
export function rateLimitClient(address: string): string {
  const text = address.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString();
  if (ipaddr.IPv6.isValid(text)) {
    const ip = ipaddr.IPv6.parse(text);
    if (ip.isIPv4MappedAddress()) return ip.toIPv4Address().toString();
    return `${new ipaddr.IPv6([...ip.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
  }
  return `unparsed:${text}`;
}
