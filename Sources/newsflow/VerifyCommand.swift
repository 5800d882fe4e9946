import ArgumentParser
import Foundation
import Fetcher
import Sink

/// `newsflow verify`: checks the output of a data folder; exit 0 clean, 1 problems found.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check journal, out/ and dead-letter/: checksums, whole lines, no duplicates, nothing acknowledged missing. Exit 1 on a problem.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let loaded = try await LoadedConfiguration.load(options)
        var report = OutputVerifier(layout: loaded.layout).verify()
        let journal = JournalVerifier(folder: loaded.layout.journal).verify()
        report.problems += journal.problems
        let missing = journal.acknowledged.filter { !report.ids.contains($0) }
        for id in missing.prefix(20) {
            report.problems.append("article \(id) was acknowledged but is in neither out/ nor dead-letter/")
        }
        if missing.count > 20 { report.problems.append("... \(missing.count - 20) more acknowledged articles missing") }
        print("verified \(loaded.layout.root.path): \(report.records) records, \(report.deadLetters) dead letters in \(report.files) files; journal: \(journal.records) articles in \(journal.segments) segments, \(journal.unacknowledged.count) not yet acknowledged")
        for problem in report.problems.prefix(50) { print("problem: \(problem)") }
        if report.problems.count > 50 { print("... and \(report.problems.count - 50) more problems") }
        guard report.isClean else {
            print("\(report.problems.count) problems found")
            throw ExitCode(1)
        }
        print("no problems found")
    }
}
