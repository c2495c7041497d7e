"""The cost of telemetry to its host (issue 16, goal 5): CPU seconds and RSS of
`agent-telemetry demo` at a fixed event rate with every exporter on (Prometheus scraped by a real
Prometheus server every second, OTLP/HTTP every 5 s to a local receiver, StatsD over UDP to a
local socket), against the same workload with --no-telemetry (events built and dropped).

Usage: python3 host_cost.py BINARY OUT_DIR [--rate 1000] [--seconds 60]
CPU time and peak RSS come from wait4() (the kernel's rusage of the demo process alone, not of
the peers); the end RSS is the last VmRSS read from /proc before the process exits."""
import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RECEIVER = os.path.join(HERE, "..", "..", "Tests", "peers", "otlp_receiver.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def statsd_sink():
    """A UDP socket that reads and discards datagrams (counts them), so sends are not refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    count = {"datagrams": 0}

    def loop():
        while True:
            try:
                sock.recv(65536)
                count["datagrams"] += 1
            except OSError:
                return
    threading.Thread(target=loop, daemon=True).start()
    return sock, sock.getsockname()[1], count


def run_demo(binary, args, out_dir, tag):
    log = open(os.path.join(out_dir, f"host-cost-{tag}.log"), "w")
    proc = subprocess.Popen([binary, "demo"] + args, stdout=log, stderr=subprocess.STDOUT)
    last_rss = 0
    samples = []
    while True:
        try:
            with open(f"/proc/{proc.pid}/status") as f:
                m = re.search(r"VmRSS:\s+(\d+)", f.read())
                if m:
                    last_rss = int(m.group(1))
                    samples.append(last_rss)
        except OSError:
            pass
        done, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.5)
    log.close()
    text = open(os.path.join(out_dir, f"host-cost-{tag}.log")).read()
    rates = [int(x) for x in re.findall(r"(\d+) events/s", text)]
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "peak_rss_kb": usage.ru_maxrss,
        "end_rss_kb": last_rss,
        "events_per_s": sorted(rates)[len(rates) // 2] if rates else None,
        "exit": os.waitstatus_to_exitcode(status),
        "last_line": text.strip().splitlines()[-1] if text.strip() else "",
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("out")
    ap.add_argument("--rate", type=float, default=1000, help="demo requests/s (about 10 events each)")
    ap.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    demo_port = free_port()
    prom_port = free_port()
    sink, statsd_port, datagrams = statsd_sink()
    receiver_out = os.path.join(a.out, "otlp-requests.jsonl")
    receiver = subprocess.Popen([sys.executable, RECEIVER, receiver_out, "--compact"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    otlp_port = int(receiver.stdout.readline())
    config = os.path.join(a.out, "host-cost.yaml")
    with open(config, "w") as f:
        f.write(f"""metrics:
  process_sampler: true
exporters:
  prometheus:
    enabled: true
    host: 127.0.0.1
    port: {demo_port}
  otlp:
    enabled: true
    endpoint: http://127.0.0.1:{otlp_port}
    interval: 5s
  statsd:
    enabled: true
    host: 127.0.0.1
    port: {statsd_port}
    transport: udp
""")
    prom_dir = os.path.join(a.out, "prometheus")
    os.makedirs(prom_dir, exist_ok=True)
    with open(os.path.join(prom_dir, "prometheus.yml"), "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: demo
    static_configs:
      - targets: ["127.0.0.1:{demo_port}"]
""")
    prom = subprocess.Popen(["prometheus", f"--config.file={prom_dir}/prometheus.yml",
                             f"--storage.tsdb.path={prom_dir}/data", f"--web.listen-address=127.0.0.1:{prom_port}",
                             "--log.level=warn"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    common = ["--rate", str(a.rate), "--duration", str(a.seconds), "--progress-interval", "5"]
    load = lambda: os.getloadavg()[0]
    results = {}
    try:
        time.sleep(1)
        l0 = load()
        results["telemetry"] = run_demo(a.binary, common + ["--config", config], a.out, "telemetry")
        l1 = load()
        results["none"] = run_demo(a.binary, common + ["--no-telemetry"], a.out, "none")
        l2 = load()
        # Successful scrapes of the demo (the sum of up over both runs: the bare run serves nothing).
        try:
            import urllib.request, json
            q = urllib.request.urlopen(f"http://127.0.0.1:{prom_port}/api/v1/query?query=sum_over_time(up%7Bjob%3D%22demo%22%7D%5B10m%5D)", timeout=5)
            data = json.load(q)["data"]["result"]
            scrapes = data[0]["value"][1] if data else "0"
        except Exception as e:  # noqa: BLE001
            scrapes = f"? ({e})"
    finally:
        prom.terminate()
        receiver.terminate()
        sink.close()
    otlp_requests = sum(1 for _ in open(receiver_out)) if os.path.exists(receiver_out) else 0
    t, n = results["telemetry"], results["none"]
    events = (t["events_per_s"] or 0) * a.seconds
    extra_cpu = t["cpu_s"] - n["cpu_s"]
    print(f"load average (1 min): {l0:.2f} before, {l1:.2f} between, {l2:.2f} after" + (" (noisy: above 1.0)" if max(l0, l1, l2) > 1.0 else ""))
    print(f"peers: Prometheus scrapes of the demo {scrapes}, OTLP requests received {otlp_requests}, StatsD datagrams {datagrams['datagrams']}")
    print()
    print("| run | events/s (median progress line) | CPU s (user+sys) | % of one core | peak RSS (MiB) | end RSS (MiB) |")
    print("|---|---|---|---|---|---|")
    for name, r in (("telemetry on", t), ("--no-telemetry", n)):
        print(f"| {name} | {r['events_per_s'] or '–'} | {r['cpu_s']:.2f} ({r['user_s']:.2f}+{r['sys_s']:.2f}) | "
              f"{100 * r['cpu_s'] / a.seconds:.2f} % | {r['peak_rss_kb'] / 1024:.1f} | {r['end_rss_kb'] / 1024:.1f} |")
    print(f"| difference | | {extra_cpu:.2f} | {100 * extra_cpu / a.seconds:.2f} % | "
          f"{(t['peak_rss_kb'] - n['peak_rss_kb']) / 1024:.1f} | {(t['end_rss_kb'] - n['end_rss_kb']) / 1024:.1f} |")
    print()
    if events > 0:
        print(f"telemetry CPU per million events: {extra_cpu / events * 1e6:.2f} s "
              f"(over {events:.0f} events at {t['events_per_s']} events/s)")
    for name, r in (("telemetry on", t), ("--no-telemetry", n)):
        if r["exit"] != 0:
            print(f"warning: the {name} run exited {r['exit']}: {r['last_line']}")


if __name__ == "__main__":
    main()
