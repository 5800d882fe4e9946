import Foundation

extension NERModel {
    /// The file name of the model that ships with newsflow.
    package static let defaultFileName = "en-conll2003.nfner"

    /// Loads a model file; the error says which file and why it cannot be used.
    package static func load(path: String) throws(NERModelError) -> NERModel {
        let bytes = try read(path)
        do {
            return try NERModel(bytes: bytes)
        } catch {
            throw NERModelError("entity model \(path): \(error.reason)")
        }
    }

    /// Checks the model a setting names (nil or empty: the shipped one) as ``load(setting:)`` would
    /// refuse it, without building it.
    package static func check(setting path: String?) throws(NERModelError) {
        var file = path ?? ""
        if file.isEmpty { file = try defaultPath() }
        let bytes = try read(file)
        do {
            try validate(bytes: bytes)
        } catch {
            throw NERModelError("entity model \(file): \(error.reason)")
        }
    }

    private static func read(_ path: String) throws(NERModelError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw NERModelError("entity model \(path) \(reason)")
        }
        return Array(data)
    }

    /// Where the shipped model is looked for, in order: the resource folder SwiftPM builds beside the
    /// executable (`newsflow_ArticleParsing.resources/`), then `../share/newsflow/` from the executable
    /// and `/usr/share/newsflow/` (where a package or image installs it).
    package static var defaultPaths: [String] {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let folder = executable.deletingLastPathComponent()
        return [
            folder.appendingPathComponent("newsflow_ArticleParsing.resources").appendingPathComponent(defaultFileName).path,
            folder.deletingLastPathComponent().appendingPathComponent("share/newsflow").appendingPathComponent(defaultFileName).path,
            "/usr/share/newsflow/" + defaultFileName,
        ]
    }

    /// The model a setting names (`parser.ner_model`, `--ner-model`): a file, or the shipped model when
    /// the setting is nil or empty.
    package static func load(setting path: String?) throws(NERModelError) -> NERModel {
        guard let path, !path.isEmpty else { return try loadDefault() }
        return try load(path: path)
    }

    /// The shipped model, from the first of ``defaultPaths`` that exists.
    package static func loadDefault() throws(NERModelError) -> NERModel {
        try load(path: defaultPath())
    }

    /// The first of ``defaultPaths`` that exists.
    private static func defaultPath() throws(NERModelError) -> String {
        let paths = defaultPaths
        guard let path = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw NERModelError("the shipped entity model \(defaultFileName) is in none of \(paths.joined(separator: ", ")); install it there or set parser.ner_model to a model file")
        }
        return path
    }
}
