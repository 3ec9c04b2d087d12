import FlyingFox
import Foundation

/// The page: HTML, script and style embedded in the binary at build time (so an installed
/// `bordersim` needs no files beside it), and Chart.js from where Debian's libjs-chart.js
/// installs it. Nothing is fetched from the internet.
enum StaticAssets {
    static let page: [String: (type: String, bytes: [UInt8])] = [
        "/": ("text/html; charset=utf-8", PackageResources.index_html),
        "/index.html": ("text/html; charset=utf-8", PackageResources.index_html),
        "/app.js": ("text/javascript; charset=utf-8", PackageResources.app_js),
        "/style.css": ("text/css; charset=utf-8", PackageResources.style_css),
    ]

    /// Chart.js 3 (UMD build): Debian's libjs-chart.js, or BORDERSIM_CHARTJS naming the file.
    static let chartCandidates = ["/usr/share/javascript/chart.js/chart.min.js",
                                  "/usr/share/javascript/chart.js/chart.js"]

    static func chartPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let candidates = (environment["BORDERSIM_CHARTJS"].map { [$0] } ?? []) + chartCandidates
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    static let missingChart = """
        window.BORDERSIM_CHARTS_MISSING = "Charts are off: Chart.js was not found (looked in \
        \(chartCandidates.joined(separator: ", "))). Install it with `sudo apt-get install libjs-chart.js` \
        (or `make serve-deps`) and restart `bordersim serve`; the port, controls and numbers work without it.";
        """

    static func response(path: String, chart: String?) -> HTTPResponse? {
        if let asset = page[path] {
            return HTTPResponse(statusCode: .ok, headers: Answer.headers(asset.type), body: Data(asset.bytes))
        }
        guard path == "/vendor/chart.js" else { return nil }
        if let chart, let data = FileManager.default.contents(atPath: chart) {
            return HTTPResponse(statusCode: .ok, headers: Answer.headers("text/javascript; charset=utf-8"), body: data)
        }
        return HTTPResponse(statusCode: .ok, headers: Answer.headers("text/javascript; charset=utf-8"), body: Data(missingChart.utf8))
    }
}
