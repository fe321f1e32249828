/**
 * The Node.js flags a server process runs with (the systemd units pass them; a test holds the units to
 * this list, and the benchmark starts the server with it).
 *
 * A server's live heap is about 50 MB at saturation, but V8 sizes its heap by the machine's memory: on
 * 24 GiB it lets the old generation grow past 200 MB of mostly garbage before collecting, so a process
 * idles at 180 MB and peaks near 400 MB. A 160 MB old generation collects sooner at no measurable CPU
 * cost (docs/PERFORMANCE.md), keeping a process under 300 MB. The young generation keeps its default
 * size, named so a smaller heap does not shrink it: a smaller one promotes more and costs CPU.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=160', '--max-semi-space-size=32'] as const;
