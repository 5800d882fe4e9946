import ArgumentParser
import Foundation
import Sink

/// `newsflow verify`: checks the output of a data folder; exit 0 clean, 1 problems found.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check out/ and dead-letter/: whole lines, valid records, no duplicates. Exit 1 on a problem.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let loaded = try await LoadedConfiguration.load(options)
        let report = OutputVerifier(layout: loaded.layout).verify()
        print("verified \(loaded.layout.root.path): \(report.records) records, \(report.deadLetters) dead letters in \(report.files) files")
        for problem in report.problems.prefix(50) { print("problem: \(problem)") }
        if report.problems.count > 50 { print("... and \(report.problems.count - 50) more problems") }
        guard report.isClean else {
            print("\(report.problems.count) problems found")
            throw ExitCode(1)
        }
        print("no problems found")
    }
}
