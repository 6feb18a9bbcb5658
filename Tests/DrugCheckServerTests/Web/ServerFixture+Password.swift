import DrugCheckAccess
import DrugCheckServer
import DrugCheckStore

extension ServerFixture {
    /// Gives a fixture user (`lab`, `otherLab`, `verifier`, …) a password for the web app.
    func password(_ user: String, _ password: String = "correct horse battery") throws -> String {
        try AccessStore(database: database).setPasswordHash(try Passwords.hash(password), userName: user)
        return password
    }
}
