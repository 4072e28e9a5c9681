// ESP as Linux's rfc4106(gcm(aes)) sends it: real AES-GCM, which OpenSSL
// (independently of the codec's own call) opens again with the SA's key.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <memory>

#include "packet/esp_codec.hpp"
#include "packet/packet_codec.hpp"
#include "packet/wire.hpp"

using namespace cnmlab::packet;
using cnmlab::model::Ipv4;

namespace {

Frame vxlanDatagram() {
    Frame inner;
    inner.ipSrc = Ipv4(10, 0, 1, 2);
    inner.ipDst = Ipv4(10, 0, 1, 4);
    inner.ipProto = kIpProtoIcmp;
    inner.icmpType = icmp::kEchoRequest;
    inner.payloadSize = 56;
    Frame f;
    f.ipSrc = Ipv4(192, 168, 100, 11);
    f.ipDst = Ipv4(192, 168, 100, 12);
    f.ipProto = kIpProtoUdp;
    f.dontFragment = false;
    f.srcPort = 40000;
    f.dstPort = kVxlanPort;
    f.vni = 4097;
    f.inner = std::make_shared<const Frame>(inner);
    return f;
}

std::vector<std::uint8_t> key20() {
    std::vector<std::uint8_t> k;
    for (int i = 0; i < 16; ++i) {
        k.push_back(static_cast<std::uint8_t>(0xa0 + i));
    }
    for (const int salt : {0x9e, 0x0c, 0x48, 0x92}) {
        k.push_back(static_cast<std::uint8_t>(salt));
    }
    return k;
}

Frame sealed(const Frame& plain) {
    Frame esp;
    esp.ipSrc = plain.ipSrc;
    esp.ipDst = plain.ipDst;
    esp.ipProto = kIpProtoEsp;
    esp.espSpi = 0x9e0c4892;
    esp.espSeq = 7;
    esp.esp = std::make_shared<const Frame>(plain);
    esp.espKey = std::make_shared<const std::vector<std::uint8_t>>(key20());
    return esp;
}

}  // namespace

TEST(PacketEsp, TheDatagramIsEncryptedWithTheSaKeyAndOpensAgain) {
    const Frame plain = vxlanDatagram();
    const std::vector<std::uint8_t> clear = serialize(plain);
    const std::vector<std::uint8_t> bytes = serialize(sealed(plain));
    const std::size_t ip = kEthernetHeaderSize;
    ASSERT_EQ(bytes[ip + 9], kIpProtoEsp);
    const std::size_t esp = ip + 20;
    EXPECT_EQ(wire::get32(bytes, esp), 0x9e0c4892u);
    EXPECT_EQ(wire::get32(bytes, esp + 4), 7u);
    // The UDP datagram as the sender had it (after its own IPv4 header).
    const std::vector<std::uint8_t> datagram(clear.begin() + static_cast<long>(ip + 20),
                                             clear.begin() + static_cast<long>(ip) +
                                                 wire::get16(clear, ip + 2));
    const std::size_t total = ip + wire::get16(bytes, ip + 2);
    EXPECT_EQ(total - esp, espSize(datagram.size()));
    // Open it: nonce = salt + IV, AAD = SPI and sequence, tag = the last 8 bytes.
    const std::vector<std::uint8_t> key = key20();
    std::uint8_t nonce[12];
    std::copy(key.begin() + 16, key.end(), nonce);
    std::copy(bytes.begin() + static_cast<long>(esp + 8),
              bytes.begin() + static_cast<long>(esp + 16), nonce + 4);
    const std::size_t cipher = esp + 16;
    const std::size_t tag = total - 8;
    std::unique_ptr<EVP_CIPHER_CTX, void (*)(EVP_CIPHER_CTX*)> ctx(EVP_CIPHER_CTX_new(),
                                                                   EVP_CIPHER_CTX_free);
    std::vector<std::uint8_t> out(tag - cipher);
    int n = 0;
    int last = 0;
    ASSERT_EQ(EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr), 1);
    ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr), 1);
    ASSERT_EQ(EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce), 1);
    ASSERT_EQ(EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes.data() + esp, 8), 1);
    ASSERT_EQ(EVP_DecryptUpdate(ctx.get(), out.data(), &n, bytes.data() + cipher,
                                static_cast<int>(out.size())),
              1);
    std::vector<std::uint8_t> icv(bytes.begin() + static_cast<long>(tag),
                                  bytes.begin() + static_cast<long>(total));
    ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 8, icv.data()), 1);
    ASSERT_EQ(EVP_DecryptFinal_ex(ctx.get(), out.data() + n, &last), 1)
        << "the ICV does not verify";
    // Plaintext: the datagram, padding 1, 2, ..., pad length, next header (UDP).
    ASSERT_GE(out.size(), datagram.size() + 2);
    EXPECT_TRUE(std::equal(datagram.begin(), datagram.end(), out.begin()));
    EXPECT_EQ(out.back(), kIpProtoUdp);
    const std::uint8_t pad = out[out.size() - 2];
    EXPECT_EQ(out.size(), datagram.size() + pad + 2);
    EXPECT_EQ(out.size() % 4, 0u);
}

TEST(PacketEsp, ParsedEspKeepsItsHeaderAndStaysOpaque) {
    const std::vector<std::uint8_t> bytes = serialize(sealed(vxlanDatagram()));
    const auto f = parse(bytes);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->ipProto, kIpProtoEsp);
    EXPECT_EQ(f->espSpi, 0x9e0c4892u);
    EXPECT_EQ(f->espSeq, 7u);
    EXPECT_FALSE(f->esp);
    EXPECT_EQ(serialize(*f), bytes);  // the same bytes again, without the key
    EXPECT_EQ(layerNames(*f), (std::vector<std::string>{"eth", "ipv4", "esp"}));
    bool opaque = false;
    for (const auto& field : describe(*f)) {
        opaque = opaque || (field.name == "Encrypted data" &&
                            field.value.find("opaque without") != std::string::npos);
    }
    EXPECT_TRUE(opaque);
}
