#include "packet/esp_codec.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>

#include "packet/wire.hpp"

namespace cnmlab::packet {

namespace {

// RFC 4303 §2.4: the plaintext, padding 1, 2, 3 ... and the two trailer
// bytes end on a 4-byte boundary.
std::size_t paddingFor(std::size_t plainBytes) {
    return (4 - (plainBytes + 2) % 4) % 4;
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, void (*)(EVP_CIPHER_CTX*)>;

// AES-GCM with RFC 4106's nonce (the key's 4-byte salt, then the IV) and the
// ESP header as additional authenticated data; returns ciphertext then ICV.
std::vector<std::uint8_t> seal(const std::vector<std::uint8_t>& key, const std::uint8_t* iv,
                               const std::uint8_t* aad, std::span<const std::uint8_t> plain) {
    if (key.size() != 16 + 4) {
        throw std::invalid_argument("rfc4106(gcm(aes)) needs 16 bytes of key and a 4-byte salt");
    }
    std::uint8_t nonce[12];
    std::copy(key.begin() + 16, key.end(), nonce);
    std::copy(iv, iv + kEspIvSize, nonce + 4);
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    std::vector<std::uint8_t> out(plain.size() + kEspIcvSize);
    int n = 0;
    int tail = 0;
    const bool ok =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, sizeof nonce, nullptr) == 1 &&
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &n, aad, kEspHeaderSize) == 1 &&
        EVP_EncryptUpdate(ctx.get(), out.data(), &n, plain.data(),
                          static_cast<int>(plain.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), out.data() + n, &tail) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kEspIcvSize,
                            out.data() + plain.size()) == 1;
    if (!ok) {
        throw std::runtime_error("AES-GCM encryption failed (OpenSSL)");
    }
    return out;
}

}  // namespace

std::size_t espSize(std::size_t plainBytes) {
    return kEspHeaderSize + kEspIvSize + plainBytes + paddingFor(plainBytes) + 2 + kEspIcvSize;
}

std::vector<std::uint8_t> espPayload(const Frame& f, std::span<const std::uint8_t> plain,
                                     std::uint8_t nextHeader) {
    std::vector<std::uint8_t> out;
    wire::put32(out, f.espSpi);
    wire::put32(out, f.espSeq);
    if (!f.espKey) {
        if (f.espRaw) {
            out.insert(out.end(), f.espRaw->begin(), f.espRaw->end());
        }
        return out;
    }
    // The IV: the 64-bit sequence number, as Linux's seqiv makes it unique.
    std::uint8_t iv[kEspIvSize] = {};
    for (std::size_t i = 0; i < 4; ++i) {
        iv[4 + i] = static_cast<std::uint8_t>(f.espSeq >> (24 - 8 * i));
    }
    out.insert(out.end(), iv, iv + kEspIvSize);
    std::vector<std::uint8_t> inner(plain.begin(), plain.end());
    const std::size_t pad = paddingFor(plain.size());
    for (std::size_t i = 1; i <= pad; ++i) {
        inner.push_back(static_cast<std::uint8_t>(i));
    }
    inner.push_back(static_cast<std::uint8_t>(pad));
    inner.push_back(nextHeader);
    const std::vector<std::uint8_t> sealed = seal(*f.espKey, iv, out.data(), inner);
    out.insert(out.end(), sealed.begin(), sealed.end());
    return out;
}

bool parseEsp(std::span<const std::uint8_t> b, Frame& f) {
    if (b.size() < kEspHeaderSize + kEspIvSize + kEspIcvSize) {
        return false;
    }
    f.espSpi = wire::get32(b, 0);
    f.espSeq = wire::get32(b, 4);
    f.espRaw =
        std::make_shared<const std::vector<std::uint8_t>>(b.begin() + kEspHeaderSize, b.end());
    return true;
}

}  // namespace cnmlab::packet
