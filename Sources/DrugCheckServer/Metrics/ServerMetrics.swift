import Foundation

/// Counters and a latency histogram, rendered in the Prometheus text exposition format
/// (https://prometheus.io/docs/instrumenting/exposition_formats/).
///
/// ```swift
/// metrics.recordImport(outcome: "imported")
/// print(metrics.prometheusText())
/// ```
public final class ServerMetrics: @unchecked Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Latency {
        var counts = [Int](repeating: 0, count: ServerMetrics.buckets.count)
        var sum = 0.0
        var count = 0
    }

    /// Labels are kept as values and escaped only when rendered: recording is on every request's path.
    private struct RequestKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private let lock = NSLock()
    private var requests: [RequestKey: Int] = [:]
    private var latency: [String: Latency] = [:]
    private var imports: [String: Int] = [:]
    private var renders: [String: Int] = [:]
    private var reportBuilds = 0

    public init() {}

    func recordRequest(method: String, route: String, status: Int, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        requests[RequestKey(method: method, route: route, status: status), default: 0] += 1
        var l = latency[route] ?? Latency()
        for (i, bound) in Self.buckets.enumerated() where seconds <= bound { l.counts[i] += 1 }
        l.sum += seconds
        l.count += 1
        latency[route] = l
    }

    func recordImport(outcome: String) {
        lock.lock()
        defer { lock.unlock() }
        imports[outcome, default: 0] += 1
    }

    func recordRender(cause: String) {
        lock.lock()
        defer { lock.unlock() }
        renders[cause, default: 0] += 1
    }

    func recordReportBuild() {
        lock.lock()
        defer { lock.unlock() }
        reportBuilds += 1
    }

    /// How many weekly reports and sold-as tables were built from the database (``ReportMemo``).
    public var reportsBuilt: Int {
        lock.lock()
        defer { lock.unlock() }
        return reportBuilds
    }

    /// How many reports, feeds and ministry pages were rendered for `cause` (`request`, `refresh`).
    public func renders(cause: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return renders[cause] ?? 0
    }

    public func prometheusText() -> String {
        lock.lock()
        defer { lock.unlock() }
        var out = "# HELP drugcheck_imports_total Files received through the API, by outcome (rejected = rejections).\n"
        out += "# TYPE drugcheck_imports_total counter\n"
        for outcome in ["imported", "already_imported", "rejected"] {
            out += "drugcheck_imports_total\(labels(["outcome": outcome])) \(imports[outcome] ?? 0)\n"
        }
        out += "# HELP drugcheck_renders_total Reports, feeds and ministry pages rendered, by cause: request (a caller waited) or refresh (rendered ahead after data arrived).\n"
        out += "# TYPE drugcheck_renders_total counter\n"
        for cause in ["request", "refresh"] {
            out += "drugcheck_renders_total\(labels(["cause": cause])) \(renders[cause] ?? 0)\n"
        }
        out += "# HELP drugcheck_report_builds_total Weekly reports and sold-as tables built from the database; each serves every view of it until data arrive.\n"
        out += "# TYPE drugcheck_report_builds_total counter\n"
        out += "drugcheck_report_builds_total \(reportBuilds)\n"
        out += "# HELP drugcheck_http_requests_total HTTP requests by method, route and status.\n"
        out += "# TYPE drugcheck_http_requests_total counter\n"
        let counted = requests.map { (labels(["method": $0.key.method, "route": $0.key.route, "status": String($0.key.status)]), $0.value) }
        for (key, value) in counted.sorted(by: { $0.0 < $1.0 }) { out += "drugcheck_http_requests_total\(key) \(value)\n" }
        out += "# HELP drugcheck_http_request_duration_seconds Time to answer a request, by route.\n"
        out += "# TYPE drugcheck_http_request_duration_seconds histogram\n"
        for (route, l) in latency.sorted(by: { $0.key < $1.key }) {
            let key = labels(["route": route])
            let inner = key.dropFirst().dropLast()
            for (i, bound) in Self.buckets.enumerated() {
                out += "drugcheck_http_request_duration_seconds_bucket{\(inner),le=\"\(bound)\"} \(l.counts[i])\n"
            }
            out += "drugcheck_http_request_duration_seconds_bucket{\(inner),le=\"+Inf\"} \(l.count)\n"
            out += "drugcheck_http_request_duration_seconds_sum\(key) \(l.sum)\n"
            out += "drugcheck_http_request_duration_seconds_count\(key) \(l.count)\n"
        }
        return out
    }

    /// `{a="x",b="y"}` with label values escaped as the format requires.
    private func labels(_ pairs: [String: String]) -> String {
        let escaped = pairs.sorted { $0.key < $1.key }.map { key, value in
            let v = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(v)\""
        }
        return "{" + escaped.joined(separator: ",") + "}"
    }
}
