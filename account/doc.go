// Package account keeps the admin users and customers that Magento's token
// services authenticate (admin_user and customer_entity): the records, their
// PBKDF2 password hashes, the store interfaces the REST surface reads through,
// and [Memory], the in-memory store the emulator uses.
package account
