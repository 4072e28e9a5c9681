#include <gtest/gtest.h>

#include "model/ip.hpp"

using namespace cnmlab::model;

TEST(Ipv4, ParsesDottedQuad) {
    auto ip = Ipv4::parse("172.18.0.2");
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->value(), 0xAC120002u);
    EXPECT_EQ(ip->str(), "172.18.0.2");
}

TEST(Ipv4, RejectsMalformed) {
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "a.b.c.d", "1..2.3",
                            "1.2.3.4 ", "-1.2.3.4"}) {
        EXPECT_FALSE(Ipv4::parse(bad)) << bad;
    }
}

TEST(Cidr, ParsesAndComputesNetwork) {
    auto c = Cidr::parse("172.18.0.2/16");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->networkStr(), "172.18.0.0/16");
    EXPECT_EQ(c->broadcast().str(), "172.18.255.255");
    EXPECT_FALSE(c->isNetworkAddress());
    EXPECT_TRUE(c->contains(*Ipv4::parse("172.18.200.1")));
    EXPECT_FALSE(c->contains(*Ipv4::parse("172.19.0.1")));
}

TEST(Cidr, RejectsMalformed) {
    for (const char* bad : {"10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "10.0.0.0/-1"}) {
        EXPECT_FALSE(Cidr::parse(bad)) << bad;
    }
}

TEST(Cidr, DetectsOverlapBothWays) {
    auto a = *Cidr::parse("10.0.0.0/8");
    auto b = *Cidr::parse("10.20.0.0/24");
    auto c = *Cidr::parse("11.0.0.0/24");
    EXPECT_TRUE(a.overlaps(b));
    EXPECT_TRUE(b.overlaps(a));
    EXPECT_FALSE(a.overlaps(c));
}

TEST(Mac, DerivedFromIpv4AsDocker2010Does) {
    EXPECT_EQ(macStr(macFromIp(*Ipv4::parse("172.18.0.2"))), "02:42:ac:12:00:02");
    EXPECT_EQ(macStr(macFromIp(*Ipv4::parse("10.20.0.10"))), "02:42:0a:14:00:0a");
}

// Go's net.ParseMAC, 48-bit forms (Docker reads mac_address with it).
TEST(Mac, ParsesDockersThreeSpellings) {
    EXPECT_EQ(macStr(parseMac("02:42:AC:11:00:02").value()), "02:42:ac:11:00:02");
    EXPECT_EQ(macStr(parseMac("02-42-ac-11-00-02").value()), "02:42:ac:11:00:02");
    EXPECT_EQ(macStr(parseMac("0242.ac11.0002").value()), "02:42:ac:11:00:02");
    for (const char* bad :
         {"", "02:42:ac:11:00", "02:42:ac:11:00:0g", "02:42-ac:11:00:02", "02.42.ac.11.00.02",
          "2:42:ac:11:00:02:", "0242.ac11.00021", "02:42:ac:11:00:02:03:04"}) {
        EXPECT_FALSE(parseMac(bad)) << bad;
    }
}

TEST(Mac, UnicastIsNeitherMulticastNorZero) {
    EXPECT_TRUE(isUnicastMac(*parseMac("02:42:ac:11:00:02")));
    EXPECT_FALSE(isUnicastMac(*parseMac("01:00:5e:00:00:01")));
    EXPECT_FALSE(isUnicastMac(*parseMac("ff:ff:ff:ff:ff:ff")));
    EXPECT_FALSE(isUnicastMac(*parseMac("00:00:00:00:00:00")));
}
