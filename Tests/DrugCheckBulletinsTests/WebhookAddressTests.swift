import DrugCheckBulletins
import DrugCheckStore
import Foundation
import XCTest

/// Webhooks never reach the network DrugCheck runs in (SSRF): internal addresses are refused
/// when a subscriber is added and again at delivery, after resolving the name.
final class WebhookAddressTests: XCTestCase {
    let policy = WebhookAddressPolicy()

    func testInternalLiteralAddressesAndLocalNamesAreRefused() {
        let refused = [
            "https://127.0.0.1/hook", "https://127.8.9.10:8443/x", "https://10.0.0.5/x", "https://172.16.3.4/x", "https://172.31.255.255/x",
            "https://192.168.1.1/x", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/x", "https://0.0.0.0/x",
            "https://[::1]/x", "https://[fe80::1]/x", "https://[fd00::1]/x", "https://[::ffff:127.0.0.1]/x", "https://[::ffff:10.1.2.3]/x",
            "https://[64:ff9b::a9fe:a9fe]/x", "https://224.0.0.1/x", "https://localhost/x", "https://db.internal/x", "https://printer.local/x",
            "http://hooks.example.org/x", "ftp://hooks.example.org/x", "file:///etc/passwd", "https://user:pw@hooks.example.org/x",
            "https://hooks.example.org/x\u{0}", "not a url",
        ]
        for url in refused {
            XCTAssertThrowsError(try policy.checkURL(url), url)
        }
        for url in ["https://hooks.example.org/drugcheck", "https://93.184.215.14/x", "https://[2606:4700::6810:84e5]/x", "https://172.32.0.1/x"] {
            XCTAssertNoThrow(try policy.checkURL(url), url)
        }
    }

    func testTheAllowListExemptsAHostOnItsPortOnly() throws {
        let allowed = WebhookAddressPolicy(allowList: ["127.0.0.1:9000"])
        XCTAssertNoThrow(try allowed.checkURL("http://127.0.0.1:9000/hook"))
        XCTAssertNoThrow(try allowed.checkResolved(try allowed.checkURL("http://127.0.0.1:9000/hook")))
        XCTAssertThrowsError(try allowed.checkURL("http://127.0.0.1:9001/hook"))
    }

    func testANameResolvingToAnInternalAddressIsRefusedAtDelivery() throws {
        // `localhost` resolves through /etc/hosts, no DNS needed: the delivery-time check sees 127.0.0.1 or ::1.
        let url = try XCTUnwrap(URL(string: "https://localhost:8443/hook"))
        XCTAssertThrowsError(try policy.checkResolved(url)) { error in
            XCTAssertTrue("\(error)".contains("loopback"), "\(error)")
        }
    }

    func testSubscribersAreRefusedWithAPlainReason() throws {
        let t = try TestDatabase()
        let subscribers = Subscribers(database: t.database, addresses: policy)
        for (subscriber, reason) in [
            (Subscriber(name: "metadata", url: "https://169.254.169.254/", secret: "s"), "link-local"),
            (Subscriber(name: "plain", url: "http://hooks.example.org/x", secret: "s"), "expected https"),
            (Subscriber(name: "bad\u{7}name", url: "https://hooks.example.org/x", secret: "s"), "control characters"),
            (Subscriber(name: "   ", url: "https://hooks.example.org/x", secret: "s"), "1 to 100 characters"),
            (Subscriber(name: "region", url: "https://hooks.example.org/x", secret: "s", regions: ["BE999"]), "NUTS code"),
            (Subscriber(name: "region2", url: "https://hooks.example.org/x", secret: "s", regions: ["be2"]), "NUTS code"),
        ] {
            XCTAssertThrowsError(try subscribers.add(subscriber)) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(subscriber.name): \(error)")
            }
        }
        XCTAssertNoThrow(try subscribers.add(Subscriber(name: "national", url: "https://hooks.example.org/x", secret: "s", regions: ["BE2", "NL", "FR"])))
        XCTAssertEqual(try subscribers.list().map(\.name), ["national"])
    }
}
