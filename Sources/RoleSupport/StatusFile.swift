import Foundation

/// A small JSON status a role writes into `run/` for the supervisor on the same host (`/readyz`,
/// `/status`): replaced atomically, with the time it was written.
public enum StatusFile {
    /// Writes `fields` plus `updated` (Unix seconds) to `run/status-<instance>.json`.
    public static func write(_ fields: [String: Any], instance: String, layout: DataLayout) {
        var fields = fields
        fields["updated"] = Date().timeIntervalSince1970
        let url = layout.run.appendingPathComponent("status-\(instance).json")
        let temporary = url.appendingPathExtension("tmp")
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]),
              (try? data.write(to: temporary)) != nil
        else { return }
        _ = rename(temporary.path, url.path)
    }

    /// Reads a status, if present and written within `freshness` seconds.
    public static func read(instance: String, layout: DataLayout, freshness: Double = 5) -> [String: Any]? {
        let url = layout.run.appendingPathComponent("status-\(instance).json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let fields = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let updated = fields["updated"] as? Double, Date().timeIntervalSince1970 - updated <= freshness
        else { return nil }
        return fields
    }
}
